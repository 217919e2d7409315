import Foundation
import PlexusCluster

/// The flags of a checkpointed coordinator run, kept next to its checkpoint
/// (`DIR/arguments.json`) so that `plexus coordinator --resume DIR` needs no other flag.
enum RunArguments {
    /// The file in the checkpoint directory holding the flags, as a JSON array of strings.
    static let fileName = "arguments.json"

    /// `arguments` without `--resume DIR` (or `--resume=DIR`), and that directory.
    static func removingResume(_ arguments: [String]) -> (directory: String?, rest: [String]) {
        var rest: [String] = [], directory: String?
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--resume", i + 1 < arguments.count {
                directory = arguments[i + 1]
                i += 2
                continue
            }
            if a.hasPrefix("--resume=") {
                directory = String(a.dropFirst("--resume=".count))
            } else {
                rest.append(a)
            }
            i += 1
        }
        return (directory, rest)
    }

    /// Writes `arguments` into `directory` atomically (creating the directory).
    static func save(_ arguments: [String], to directory: String) throws {
        let path = (directory as NSString).appendingPathComponent(fileName)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let data = try JSONSerialization.data(withJSONObject: arguments, options: [])
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw RunError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// The flags saved in `directory`; none when the file is missing (the flags must then be given again).
    static func load(from directory: String) throws -> [String] {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        guard let array = try? JSONSerialization.jsonObject(with: data) as? [String] else {
            throw RunError("\(path) is corrupt (expected a JSON array of the run's flags); give the flags again and remove it")
        }
        return array
    }
}
