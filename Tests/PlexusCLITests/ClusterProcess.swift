import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `plexus` process running in the background for the cluster tests, with its output in files.
/// Dropping it kills (SIGKILL) and reaps it, so no test path leaves it behind.
final class ClusterProcess {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL

    init(_ arguments: [String], in directory: URL, label: String, environment: [String: String] = [:]) throws {
        stdoutURL = directory.appendingPathComponent("\(label).out")
        stderrURL = directory.appendingPathComponent("\(label).err")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: CLIHarness.binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
    }

    deinit { kill() }

    var pid: Int32 { process.processIdentifier }

    /// Kills the process if it still runs, and reaps it.
    func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Sends a signal.
    func signal(_ number: Int32) { if process.isRunning { Glibc.kill(process.processIdentifier, number) } }

    /// Waits up to `seconds`; the exit status, or nil (and the process killed) on timeout.
    @discardableResult
    func wait(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(); return nil }
        process.waitUntilExit()
        return process.terminationStatus
    }

    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }
}

/// Helpers of the cluster tests: ports, files, logs and process liveness.
enum ClusterTest {
    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Waits up to `seconds` for a file to hold a complete line; its trimmed text.
    static func waitForLine(_ url: URL, seconds: Double) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let text = try? String(contentsOf: url, encoding: .utf8), text.hasSuffix("\n") {
                return text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            usleep(20_000)
        }
        return nil
    }

    /// The records of a metrics log (empty if it does not exist yet).
    /// The complete records of a log that may be growing: a last line still being written (no
    /// newline yet) is left out rather than making the whole read fail.
    static func records(_ url: URL) -> [[String: Any]] {
        guard var text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        if !text.hasSuffix("\n") {
            text = text.lastIndex(of: "\n").map { String(text[...$0]) } ?? ""
        }
        return (try? text.split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }) ?? []
    }

    /// Waits up to `seconds` until the log has `count` records of `event`.
    static func waitForRecords(_ url: URL, event: String, count: Int, seconds: Double) -> [[String: Any]]? {
        let deadline = Date().addingTimeInterval(seconds)
        let marker = "\"event\":\"\(event)\""
        while Date() < deadline {
            // Counting the marker is cheap; parsing a large, fast-growing log on every pass is not.
            let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            if text.components(separatedBy: marker).count - 1 >= count {
                let found = records(url).filter { $0["event"] as? String == event }
                if found.count >= count { return found }
            }
            usleep(20_000)
        }
        return nil
    }

    /// Whether process `pid` exists and is not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        // The state follows the parenthesised command name.
        guard let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)...].first
        return state != "Z" && state != "X"
    }

    /// Waits up to `seconds` for every pid to be gone; the ones still alive.
    static func survivors(_ pids: [Int32], seconds: Double) -> [Int32] {
        let deadline = Date().addingTimeInterval(seconds)
        var alive = pids.filter(isAlive)
        while !alive.isEmpty && Date() < deadline {
            usleep(50_000)
            alive = alive.filter(isAlive)
        }
        return alive
    }

    /// Kills leftover processes (a failing test's cleanup).
    static func killAll(_ pids: [Int32]) {
        for pid in pids where isAlive(pid) { kill(pid, SIGKILL) }
    }
}
