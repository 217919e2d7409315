import Foundation
import PlexusCluster
import PlexusNumerics

/// `plexus launch`: a whole cluster run from one command — the coordinator in this process and N
/// worker processes on loopback, or on the hosts of a hostfile through ssh.
enum LaunchCommand {
    static let options: [OptionSpec] = TrainOptions.all + CoordinatorCommand.clusterOptions + [
        OptionSpec("port", "P", "listen on port P (default: a free port)"),
        OptionSpec("hostfile", "FILE", "start workers over ssh, lines 'HOST slots=N' (as MPI and Horovod read them)"),
        OptionSpec("bind", "ENDPOINT", "where the coordinator listens [tcp://127.0.0.1:PORT; tcp://0.0.0.0:PORT with remote hosts]"),
        OptionSpec("ssh", "CMD", "the ssh command for remote workers [ssh -o BatchMode=yes -o ConnectTimeout=15]"),
        OptionSpec("remote-plexus", "PATH", "the plexus binary on remote hosts [plexus]"),
        OptionSpec("worker-threads", "N", "compute threads per worker, one BLAS thread each [1]"),
        OptionSpec("connect-timeout", "S", "workers give up if they cannot join within S seconds [30]"),
        OptionSpec("no-error-feedback", nil, "with --compress: workers drop the rounding residual"),
    ]

    static let help = helpText(
        usage: "plexus launch [--workers N | --hostfile FILE] [train options] [cluster options]",
        about: """
        Runs a cluster training run from one command: the coordinator in this process and N workers
        (plexus worker) as child processes on 127.0.0.1, on a free port unless --port is given; with
        --hostfile, the workers start over ssh on the listed hosts (hosts naming this machine start
        locally) and the coordinator listens on all interfaces (needs --insecure or CURVE). Takes
        every plexus train flag; --batch is the global batch of one update. Prints a live progress
        line, writes one aggregated metrics log (--metrics) and the final checkpoint (--save), and
        leaves no process behind: Ctrl-C stops the coordinator and every worker.
        """,
        options: options)

    static func run(_ arguments: [String]) throws -> Int32 {
        if arguments.contains("--help") || arguments.contains("-h") { print(help); return 0 }
        let a = try ParsedArguments(command: "launch", arguments, options: options)
        if let extra = a.positionals.first { throw UsageError("unexpected argument '\(extra)' for 'plexus launch'") }
        var config = try CoordinatorCommand.clusterConfig(from: a, train: TrainOptions.config(from: a))
        var placement = Launcher.Placement.local(count: config.workers)
        var remote = false
        if let path = a.string("hostfile") {
            var hostfile = try Hostfile.load(path)
            if let n = try a.int("workers") {
                guard n >= 1 && n <= hostfile.slots else {
                    throw UsageError("--workers \(n) with --hostfile \(path): the hostfile has \(hostfile.slots) slots")
                }
                hostfile = hostfile.first(n)
            }
            config.workers = hostfile.slots
            remote = hostfile.entries.contains { !$0.isLocal }
            placement = .hosts(hostfile)
        }
        let port: String
        if let p = try a.int("port") {
            guard p > 0 && p < 65536 else { throw UsageError("--port must be in 1…65535, got \(p)") }
            port = String(p)
        } else {
            port = "*"
        }
        config.bind = a.string("bind") ?? (remote ? "tcp://0.0.0.0:\(port)" : "tcp://127.0.0.1:\(port)")
        try config.validate()
        let workerThreads = try a.int("worker-threads") ?? 1
        guard workerThreads >= 1 else { throw UsageError("--worker-threads must be positive, got \(workerThreads)") }
        BLASThreads.set(1)

        let stop = StopSignal()
        let coordinator = try CoordinatorCommand.makeCoordinator(config, stop: stop)
        let launcher = Launcher(coordinator: coordinator, placement: placement, executable: Launcher.currentExecutable)
        let processes = launcher.processes
        // A second Ctrl-C kills the workers at once and exits.
        let trap = SignalTrap(stop: stop) { signal in
            processes.signalAll(SIGKILL)
            exit(128 + signal)
        }
        defer { withExtendedLifetime(trap) {} }
        if let ssh = a.string("ssh") { launcher.ssh = ssh.split(separator: " ").map(String.init) }
        if let r = a.string("remote-plexus") { launcher.remoteExecutable = r }
        launcher.workerArguments = ["--threads", String(workerThreads)]
        if let t = try a.double("connect-timeout") { launcher.workerArguments += ["--connect-timeout", String(t)] }
        if a.has("no-error-feedback") { launcher.workerArguments.append("--no-error-feedback") }
        do {
            _ = try launcher.run()
        } catch let interrupted as Interrupted {
            FileHandle.standardError.write(Data("plexus: launch \(interrupted); every worker stopped\n".utf8))
            return SignalTrap.exitStatus(for: interrupted.reason)
        }
        return 0
    }
}
