import Foundation
import PlexusWire

/// Throw-away CURVE keys for measuring what encryption costs (`plexus cluster-bench --curve`): a
/// coordinator certificate, one worker certificate on the allow-list, and the flags that use them.
public struct CurveBenchKeys: Sendable {
    /// The directory holding the keys (removed by `remove()`).
    public let directory: String
    /// The coordinator's secret certificate (`--curve-secret`).
    public let coordinatorSecret: String
    /// The allow-list directory (`--authorized-keys`), holding the worker's public certificate.
    public let authorizedKeys: String
    /// Worker flags: `--curve-secret WORKER.key --coordinator-key COORDINATOR.pub`.
    public let workerArguments: [String]

    /// Generates the keys in a new temporary directory.
    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("plexus-curve-bench-\(UUID().uuidString)").path
        authorizedKeys = directory + "/authorized"
        try FileManager.default.createDirectory(atPath: authorizedKeys, withIntermediateDirectories: true)
        let coordinator = try CurveCertificate(keyPair: CurveKeyPair.generate(), metadata: ["name": "bench-coordinator"])
            .write(inDirectory: directory, name: "coordinator")
        let worker = CurveCertificate(keyPair: try CurveKeyPair.generate(), metadata: ["name": "bench-worker"])
        let workerPaths = try worker.write(inDirectory: directory, name: "worker")
        try worker.writePublic(to: authorizedKeys + "/worker.pub")
        coordinatorSecret = coordinator.secret ?? ""
        workerArguments = ["--curve-secret", workerPaths.secret ?? "", "--coordinator-key", coordinator.public]
    }

    /// The coordinator configuration `config` with CURVE switched on.
    public func securing(_ config: CoordinatorConfig) -> CoordinatorConfig {
        var c = config
        c.curveSecretPath = coordinatorSecret
        c.authorizedKeysDirectory = authorizedKeys
        return c
    }

    /// Deletes the keys.
    public func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
