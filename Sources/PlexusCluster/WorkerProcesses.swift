import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The child processes a launcher started (local workers, or the ssh clients of remote ones), and
/// the means to end every one of them: ask, wait, terminate, kill, reap. Nothing is left behind on
/// any exit path that runs `stopAll` (the launcher calls it in a `defer`).
public final class WorkerProcesses: @unchecked Sendable {
    // @unchecked: used from the launcher's thread only; Process itself is thread-safe for the
    // calls made here (isRunning, terminationStatus).
    /// A started child: a label for messages and the process.
    public struct Child {
        public var label: String
        public var process: Process
    }

    public private(set) var children: [Child] = []
    private var reported = Set<Int32>()

    public init() {}

    /// Starts `executable arguments…` with standard input from /dev/null and the parent's
    /// standard output and error.
    public func spawn(label: String, executable: String, arguments: [String], environment: [String: String]? = nil) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.standardInput = FileHandle.nullDevice
        if let environment { p.environment = environment }
        do {
            try p.run()
        } catch {
            throw RunError("cannot start \(label) (\(executable)): \(error.localizedDescription)")
        }
        children.append(Child(label: label, process: p))
    }

    /// Children still running.
    public var runningCount: Int { children.reduce(0) { $0 + ($1.process.isRunning ? 1 : 0) } }

    /// Children that exited, with their status, each reported once (for "worker-2 exited with status 1").
    public func newlyExited() -> [(label: String, status: Int32)] {
        var out: [(String, Int32)] = []
        for c in children where !c.process.isRunning && !reported.contains(c.process.processIdentifier) {
            reported.insert(c.process.processIdentifier)
            out.append((c.label, c.process.terminationStatus))
        }
        return out
    }

    /// Waits up to `seconds` for every child to exit on its own; returns whether they all did.
    @discardableResult
    public func waitAll(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while runningCount > 0 && Date() < deadline { usleep(20_000) }
        return runningCount == 0
    }

    /// Ends every child: waits `grace` seconds for them to exit by themselves, then SIGTERM, then
    /// after another second SIGKILL, and reaps them all.
    public func stopAll(grace: Double) {
        if !waitAll(seconds: grace) {
            for c in children where c.process.isRunning { c.process.terminate() }
            if !waitAll(seconds: 1.5) {
                for c in children where c.process.isRunning { kill(c.process.processIdentifier, SIGKILL) }
            }
        }
        for c in children { c.process.waitUntilExit() }
    }

    /// Sends `signal` to every running child.
    public func signalAll(_ signal: Int32) {
        for c in children where c.process.isRunning { kill(c.process.processIdentifier, signal) }
    }
}
