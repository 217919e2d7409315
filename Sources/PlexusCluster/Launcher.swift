import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `plexus launch`: the coordinator in this process, its workers as child processes — local ones
/// started directly (dying with this process), remote ones through ssh per a hostfile. Whatever
/// happens, every child is stopped and reaped before `run` returns or throws.
public final class Launcher {
    /// Where the workers run.
    public enum Placement: Sendable {
        /// `count` workers on this machine.
        case local(count: Int)
        /// Per the hostfile; hosts that are this machine start without ssh.
        case hosts(Hostfile)
    }

    public let coordinator: Coordinator
    public let placement: Placement
    /// The plexus binary for local workers (this executable).
    public var executable: String
    /// The plexus binary on remote hosts.
    public var remoteExecutable = "plexus"
    /// The ssh command and its options.
    public var ssh: [String] = ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=15"]
    /// Extra arguments for every worker (`--threads`, `--connect-timeout`, …).
    public var workerArguments: [String] = []
    /// Seconds workers get to exit by themselves after the coordinator's Shutdown.
    public var exitGrace = 5.0
    public let processes = WorkerProcesses()

    public init(coordinator: Coordinator, placement: Placement, executable: String) {
        self.coordinator = coordinator
        self.placement = placement
        self.executable = executable
    }

    /// Binds the coordinator, starts the workers, trains, and stops every child.
    public func run() throws -> ClusterSummary {
        let endpoint = try coordinator.bind()
        defer { processes.stopAll(grace: exitGrace) }
        try startWorkers(endpoint: endpoint)
        let expected = processes.children.count
        let processes = self.processes
        let coordinator = self.coordinator
        coordinator.onTick = { [unowned coordinator] in
            for (label, status) in processes.newlyExited() where status != 0 {
                coordinator.progress.print("launch: \(label) exited with status \(status)")
            }
            if processes.runningCount == 0 && coordinator.liveWorkerCount == 0 {
                throw RunError("all \(expected) worker processes have exited; see their errors above")
            }
        }
        return try coordinator.run()
    }

    private func startWorkers(endpoint: String) throws {
        switch placement {
        case .local(let count):
            for i in 0..<count { try startLocal(name: "worker-\(i)", endpoint: endpoint) }
        case .hosts(let hostfile):
            var index = 0
            for entry in hostfile.entries {
                for _ in 0..<entry.slots {
                    let name = "\(entry.host)-\(index)"
                    if entry.isLocal {
                        try startLocal(name: name, endpoint: endpoint)
                    } else {
                        let remote = [remoteExecutable, "worker", "--connect", endpoint, "--name", name, "--quiet"] + workerArguments
                        let command = remote.map(Launcher.shellQuote).joined(separator: " ")
                        let sshPath = try Launcher.resolve(ssh[0])
                        try processes.spawn(label: name, executable: sshPath, arguments: Array(ssh.dropFirst()) + [entry.host, command])
                    }
                    index += 1
                }
            }
        }
    }

    private func startLocal(name: String, endpoint: String) throws {
        let arguments = ["worker", "--connect", endpoint, "--name", name, "--quiet", "--parent-pid", String(getpid())] + workerArguments
        try processes.spawn(label: name, executable: executable, arguments: arguments)
    }

    /// `word` quoted for a POSIX shell (ssh runs the remote command through one).
    static func shellQuote(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,+".contains($0) }
        return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The absolute path of a command (searched in PATH unless it contains a slash).
    static func resolve(_ command: String) throws -> String {
        if command.contains("/") { return command }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(command)"
            if access(path, X_OK) == 0 { return path }
        }
        throw RunError("cannot find '\(command)' in PATH (needed to start remote workers; see --ssh)")
    }

    /// The absolute path of the running executable.
    public static var currentExecutable: String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return CommandLine.arguments[0]
    }
}
