import Foundation
import PlexusCluster
import PlexusNumerics

/// `plexus worker`: one worker of a cluster run. Needs nothing but this binary: the coordinator
/// ships the data shard, the model and the weights.
enum WorkerCommand {
    static let options: [OptionSpec] = [
        OptionSpec("connect", "ENDPOINT", "the coordinator, tcp://HOST:PORT [$PLEXUS_COORDINATOR]"),
        OptionSpec("name", "NAME", "this worker's name; a worker of the same name gets its shard back [rank-$SLURM_PROCID or HOST-PID]"),
        OptionSpec("connect-timeout", "S", "give up if the coordinator cannot be reached and joined within S seconds [30]"),
        OptionSpec("coordinator-timeout", "S", "give up if nothing is heard from the coordinator for S seconds [60]"),
        OptionSpec("heartbeat", "S", "seconds between heartbeats [1]"),
        OptionSpec("threads", "N", "compute threads (batch slices, one BLAS thread each) [1]"),
        OptionSpec("no-error-feedback", nil, "with --compress on the coordinator: drop the rounding residual instead of carrying it"),
        OptionSpec("curve-secret", "FILE", "CURVE: this worker's secret certificate (zcert format)"),
        OptionSpec("coordinator-key", "FILE", "CURVE: the coordinator's public certificate"),
        OptionSpec("parent-pid", "PID", "exit when process PID is no longer the parent (set by plexus launch)"),
        OptionSpec("protocol-version", "N", "announce protocol version N (testing the version check)"),
        OptionSpec("skip-compute", nil, "push zero deltas without computing (measures the wire; cluster-bench)"),
        OptionSpec("quiet", nil, "print only errors"),
    ]

    static let help = helpText(
        usage: "plexus worker [--connect tcp://HOST:PORT] [options]",
        about: """
        Connects to a coordinator (plexus coordinator, or plexus launch), joins the run and trains on
        the data shard the coordinator sends: for every job it computes the learning rule's update on
        the samples named, and pushes it back. Keeps retrying until the coordinator is up, for at
        most --connect-timeout seconds. Reads the address from $PLEXUS_COORDINATOR when --connect is
        not given, and takes its name from Slurm's $SLURM_PROCID when set.
        """,
        options: options)

    static func run(_ arguments: [String]) throws -> Int32 {
        if arguments.contains("--help") || arguments.contains("-h") { print(help); return 0 }
        let a = try ParsedArguments(command: "worker", arguments, options: options)
        if let extra = a.positionals.first { throw UsageError("unexpected argument '\(extra)' for 'plexus worker'") }
        let environment = ProcessInfo.processInfo.environment
        guard let endpoint = a.string("connect") ?? environment["PLEXUS_COORDINATOR"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw UsageError("plexus worker needs the coordinator's address: --connect tcp://HOST:PORT or PLEXUS_COORDINATOR")
        }
        var config = WorkerConfig(endpoint: endpoint, name: a.string("name") ?? WorkerConfig.defaultName(environment: environment))
        if let x = try a.double("connect-timeout") { config.connectTimeout = x }
        if let x = try a.double("coordinator-timeout") { config.coordinatorTimeout = x }
        if let x = try a.double("heartbeat") { config.heartbeatInterval = x }
        if let n = try a.int("threads") { config.threads = n }
        if a.has("no-error-feedback") { config.errorFeedback = false }
        config.curveSecretPath = a.string("curve-secret")
        config.coordinatorKeyPath = a.string("coordinator-key")
        if let n = try a.int("parent-pid") {
            guard n > 0, n <= Int(Int32.max) else { throw UsageError("--parent-pid must be a process id, got \(n)") }
            config.parentPID = Int32(n)
        }
        if let n = try a.int("protocol-version") {
            guard n >= 0, n <= Int(UInt32.max) else { throw UsageError("--protocol-version must be ≥ 0, got \(n)") }
            config.protocolVersion = n
            config.minProtocolVersion = n
        }
        config.skipCompute = a.has("skip-compute")
        config.verbose = !a.has("quiet")
        BLASThreads.set(1)
        let stop = StopSignal()
        let trap = SignalTrap(stop: stop)
        defer { withExtendedLifetime(trap) {} }
        let worker = try Worker(config: config, stop: stop)
        do {
            _ = try worker.run()
        } catch let interrupted as Interrupted {
            if config.verbose { FileHandle.standardError.write(Data("plexus: worker \(config.name) \(interrupted)\n".utf8)) }
            return SignalTrap.exitStatus(for: interrupted.reason)
        } catch {
            throw RunError("worker \(config.name): \(error)")
        }
        return 0
    }
}
