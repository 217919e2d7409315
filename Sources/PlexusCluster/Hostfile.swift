import Foundation

/// A hostfile as MPI and Horovod read it: one host per line, `HOST slots=N` (or just `HOST`, one
/// slot), `#` comments and blank lines ignored. `plexus launch --hostfile` starts that many workers
/// on each host.
public struct Hostfile: Sendable, Equatable {
    /// One line: a host and how many workers it runs.
    public struct Entry: Sendable, Equatable {
        public var host: String
        public var slots: Int
        public init(host: String, slots: Int) {
            self.host = host
            self.slots = slots
        }

        /// Whether the host is this machine (its workers start without ssh).
        public var isLocal: Bool {
            host == "localhost" || host == "127.0.0.1" || host == "::1" || host == ClusterEndpoint.hostName()
        }
    }

    public var entries: [Entry]

    /// Total number of worker slots.
    public var slots: Int { entries.reduce(0) { $0 + $1.slots } }

    /// Parses hostfile text; errors name the line.
    public init(parsing text: String, source: String = "hostfile") throws {
        var entries: [Entry] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = (raw.firstIndex(of: "#").map { raw[..<$0] } ?? raw[...]).trimmingBlanks
            if line.isEmpty { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            let host = String(fields[0])
            var slots = 1
            for field in fields.dropFirst() {
                let parts = field.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else {
                    throw RunError("\(source) line \(n + 1): '\(field)' is not of the form slots=N")
                }
                switch parts[0] {
                case "slots":
                    guard let v = Int(parts[1]), v >= 1, v <= 4096 else {
                        throw RunError("\(source) line \(n + 1): slots must be a whole number in 1…4096, got '\(parts[1])'")
                    }
                    slots = v
                case "max_slots", "max-slots":
                    continue
                default:
                    throw RunError("\(source) line \(n + 1): unknown field '\(parts[0])'; expected HOST slots=N")
                }
            }
            entries.append(Entry(host: host, slots: slots))
        }
        guard !entries.isEmpty else { throw RunError("\(source) lists no hosts; expected lines of the form HOST slots=N") }
        self.entries = entries
    }

    /// A hostfile of `entries`.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// The first `n` slots (hosts in order, each with the slots that still fit).
    public func first(_ n: Int) -> Hostfile {
        var left = n
        var out: [Entry] = []
        for e in entries where left > 0 {
            out.append(Entry(host: e.host, slots: Swift.min(e.slots, left)))
            left -= out.last!.slots
        }
        return Hostfile(entries: out)
    }

    /// Reads and parses the hostfile at `path`.
    public static func load(_ path: String) throws -> Hostfile {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw RunError("cannot read the hostfile \(path)")
        }
        return try Hostfile(parsing: text, source: path)
    }
}
