#if canImport(Glibc)
import Glibc
#endif

/// ZeroMQ TCP endpoints as users type them: `tcp://HOST:PORT`, or plain `HOST:PORT`.
public enum ClusterEndpoint {
    /// `HOST:PORT` becomes `tcp://HOST:PORT`; `tcp://…`, `ipc://…` and `inproc://…` stay as they are.
    /// Throws a one-line error for anything without a port.
    public static func normalize(_ text: String) throws(RunError) -> String {
        let trimmed = text.trimmingBlanks
        guard !trimmed.isEmpty else { throw RunError("an empty coordinator address; expected tcp://HOST:PORT") }
        if trimmed.hasPrefix("ipc://") || trimmed.hasPrefix("inproc://") { return trimmed }
        let full = trimmed.hasPrefix("tcp://") ? trimmed : "tcp://" + trimmed
        guard let (host, port) = split(full), !host.isEmpty, port == "*" || (Int(port).map { $0 > 0 && $0 < 65536 } ?? false) else {
            throw RunError("'\(text)' is not an address of the form tcp://HOST:PORT")
        }
        return full
    }

    /// The host and port of `tcp://HOST:PORT` (IPv6 hosts in brackets keep them), or nil.
    public static func split(_ endpoint: String) -> (host: String, port: String)? {
        guard endpoint.hasPrefix("tcp://") else { return nil }
        let rest = endpoint.dropFirst(6)
        guard let colon = rest.lastIndex(of: ":") else { return nil }
        return (String(rest[..<colon]), String(rest[rest.index(after: colon)...]))
    }

    /// Whether a bind or connect address stays on this machine (127.0.0.0/8, ::1, localhost, ipc,
    /// inproc). Only such binds are allowed without CURVE unless `--insecure` is given.
    public static func isLoopback(_ endpoint: String) -> Bool {
        if endpoint.hasPrefix("ipc://") || endpoint.hasPrefix("inproc://") { return true }
        guard let (rawHost, _) = split(endpoint) else { return false }
        var host = rawHost
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// `tcp://HOST:PORT` with the host replaced (the port of a bound endpoint, the host a worker
    /// should use). A wildcard bind (`0.0.0.0`, `*`) without `advertise` uses this machine's name.
    public static func connectAddress(bound: String, advertise: String?) -> String {
        guard let (host, port) = split(bound) else { return bound }
        if let advertise, !advertise.isEmpty {
            // `--advertise HOST` or `--advertise HOST:PORT`.
            if let (h, p) = split(advertise.hasPrefix("tcp://") ? advertise : "tcp://" + advertise), Int(p) != nil {
                return "tcp://\(h):\(p)"
            }
            return "tcp://\(advertise):\(port)"
        }
        if host == "0.0.0.0" || host == "*" || host == "[::]" || host == "::" {
            return "tcp://\(hostName()):\(port)"
        }
        return "tcp://\(host):\(port)"
    }

    /// This machine's host name.
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces, tabs and line breaks.
    var trimmingBlanks: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[first...last])
    }
}
