import Foundation
import PlexusWire

/// `plexus keygen`: a CURVE key pair as zcert certificates, for `--curve-secret`,
/// `--authorized-keys` and `--coordinator-key`.
enum KeygenCommand {
    static let options = [
        OptionSpec("dir", "DIR", "where to write NAME.key and NAME.pub [.]"),
    ]
    static let help = helpText(
        usage: "plexus keygen NAME [--dir DIR]",
        about: """
        Writes a new CURVE key pair as DIR/NAME.key (secret, mode 0600) and DIR/NAME.pub (public), in
        the zcert text format of CZMQ. The coordinator takes its NAME.key with --curve-secret and the
        workers' .pub files with --authorized-keys DIR; each worker takes its own NAME.key with
        --curve-secret and the coordinator's .pub with --coordinator-key.
        """,
        options: options)

    static func run(_ arguments: [String]) throws -> Int32 {
        if arguments.contains("--help") || arguments.contains("-h") { print(help); return 0 }
        let a = try ParsedArguments(command: "keygen", arguments, options: options)
        guard a.positionals.count == 1, let name = a.positionals.first, !name.contains("/"), !name.isEmpty else {
            throw UsageError("plexus keygen needs one NAME (no slashes), e.g. plexus keygen coordinator --dir keys")
        }
        let dir = a.string("dir") ?? "."
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw UsageError("cannot create --dir \(dir): \(error.localizedDescription)")
        }
        let certificate = CurveCertificate(keyPair: try CurveKeyPair.generate(), metadata: ["name": name])
        let paths = try certificate.write(inDirectory: dir, name: name)
        print("wrote \(paths.secret ?? "") (secret) and \(paths.public) (public key \(certificate.publicKey))")
        return 0
    }
}
