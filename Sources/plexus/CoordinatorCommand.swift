import Foundation
import PlexusCluster
import PlexusLearning
import PlexusNumerics
import PlexusWire

/// `plexus coordinator`: the parameter server of a cluster run, for workers started by hand,
/// by Slurm or by ssh (`plexus launch` runs one in-process).
enum CoordinatorCommand {
    /// The cluster flags `coordinator` and `launch` share.
    static let clusterOptions: [OptionSpec] = [
        OptionSpec("workers", "N", "worker slots; the training set is split into N shards [2]"),
        OptionSpec("mode", "sync|async", "bulk-synchronous rounds, or apply each push on arrival [sync]"),
        OptionSpec("quorum", "K", "sync: aggregate the first K pushes of each round, drop late ones [N]"),
        OptionSpec("round-timeout", "S", "sync: close a round after S seconds with the pushes it has [60]"),
        OptionSpec("staleness", "S", "async: reject pushes more than S versions stale [N]"),
        OptionSpec("local-steps", "K", "local SGD steps per push; the mean direction is pushed [1]"),
        OptionSpec("compress", "none|bf16|f16", "tensors on the wire in 16 bits, both ways [none]"),
        OptionSpec("max-rounds", "R", "stop after R rounds (async: R updates), even mid-epoch"),
        OptionSpec("heartbeat-timeout", "S", "a worker silent this long has left [10]"),
        OptionSpec("join-timeout", "S", "wait this long for all workers, then start with those there [120]"),
        OptionSpec("worker-log-every", "N", "log each worker's own metrics every N rounds [10]"),
        OptionSpec("advertise", "HOST[:PORT]", "the address workers should connect to (multi-NIC hosts)"),
        OptionSpec("endpoint-file", "FILE", "write the address workers connect to into FILE once bound"),
        OptionSpec("insecure", nil, "allow a non-loopback bind without CURVE (trusted networks only)"),
        OptionSpec("curve-secret", "FILE", "CURVE: the coordinator's secret certificate (zcert format)"),
        OptionSpec("authorized-keys", "DIR", "CURVE: admit only workers whose *.pub certificate is in DIR"),
        OptionSpec("checkpoint-every", "R", "save a resumable checkpoint every R rounds into --checkpoint-dir"),
        OptionSpec("checkpoint-dir", "DIR", "where --checkpoint-every writes (DIR/checkpoint.ckpt, atomically) and the run's flags"),
    ]

    static let options: [OptionSpec] = TrainOptions.all + [
        OptionSpec("bind", "ENDPOINT", "where to listen, tcp://ADDR:PORT (* picks a free port) [tcp://127.0.0.1:5555]"),
        OptionSpec("resume", "DIR", "continue the run checkpointed in DIR (its flags, weights, optimizer, round, data order; "
            + "the log continues); flags given here override the saved ones"),
    ] + clusterOptions

    static let help = helpText(
        usage: "plexus coordinator [--bind tcp://ADDR:PORT] [--workers N] [train options] [cluster options]",
        about: """
        Runs the parameter server of a cluster run: loads the data, splits the training set into one
        seeded shard per worker, waits for the workers (plexus worker --connect tcp://HOST:PORT), ships
        each its shard, and trains. --batch is the number of samples behind one update, as in
        plexus train: sync rounds split it over the live workers; in async mode each push is one
        update of --batch samples. Writes one aggregated JSON-lines log (--metrics) and the final
        checkpoint (--save). A non-loopback --bind needs CURVE (--curve-secret, --authorized-keys) or
        --insecure. With --checkpoint-every R --checkpoint-dir DIR it saves a checkpoint every R
        rounds; after a crash, plexus coordinator --resume DIR continues from the last one and the
        workers (left running) rejoin by themselves.
        """,
        options: options)

    static func run(_ arguments: [String]) throws -> Int32 {
        if arguments.contains("--help") || arguments.contains("-h") { print(help); return 0 }
        let (resumeDirectory, given) = RunArguments.removingResume(arguments)
        let all = try resumeDirectory.map { try RunArguments.load(from: $0) + given } ?? given
        let parsed = try ParsedArguments(command: "coordinator", all, options: options)
        if let extra = parsed.positionals.first { throw UsageError("unexpected argument '\(extra)' for 'plexus coordinator'") }
        var config = try clusterConfig(from: parsed, train: TrainOptions.config(from: parsed))
        if let bind = parsed.string("bind") { config.bind = bind }
        if let resumeDirectory, config.checkpointDirectory == nil { config.checkpointDirectory = resumeDirectory }
        try config.validate()
        if let directory = config.checkpointDirectory, config.checkpointEvery != nil {
            try RunArguments.save(all, to: directory)
        }
        BLASThreads.set(1)
        let stop = StopSignal()
        let trap = SignalTrap(stop: stop)
        defer { withExtendedLifetime(trap) {} }
        let coordinator = try makeCoordinator(config, stop: stop, resumeFrom: resumeDirectory)
        do {
            try coordinator.run()
        } catch let interrupted as Interrupted {
            FileHandle.standardError.write(Data("plexus: coordinator \(interrupted)\n".utf8))
            return SignalTrap.exitStatus(for: interrupted.reason)
        }
        return 0
    }

    /// A coordinator with its log, progress line, `--init` (or `--resume`'s checkpoint) and
    /// `--save` wired up. Resuming appends to the run's log instead of starting a new one.
    static func makeCoordinator(_ config: CoordinatorConfig, stop: StopSignal, resumeFrom directory: String? = nil) throws -> Coordinator {
        let log = try MetricsLog(path: config.train.metricsPath, append: directory != nil, keepRecords: false)
        let coordinator = try Coordinator(config: config, log: log, progress: ProgressLine(enabled: config.train.progress), stop: stop)
        if let directory {
            let path = (directory as NSString).appendingPathComponent(Coordinator.checkpointFileName)
            guard FileManager.default.fileExists(atPath: path) else {
                throw RunError("--resume \(directory): there is no \(Coordinator.checkpointFileName) in it (was the run started with "
                    + "--checkpoint-every R --checkpoint-dir \(directory), and did it finish a checkpoint?)")
            }
            let checkpoint = try CheckpointFile.read(from: path)
            coordinator.initial = try Parameters<Double>.fromCheckpoint(checkpoint, spec: config.train.model, seed: config.train.seed, path: path)
            coordinator.resume = (checkpoint, path)
        } else if let path = config.train.initPath {
            let checkpoint = try CheckpointFile.read(from: path)
            coordinator.initial = try Parameters<Double>.fromCheckpoint(checkpoint, spec: config.train.model, seed: config.train.seed, path: path)
        }
        if let path = config.train.savePath {
            coordinator.onFinish = { checkpoint in
                try CheckpointFile.write(checkpoint, to: path)
                print("saved checkpoint \(path)")
            }
        }
        return coordinator
    }

    /// The cluster configuration from the shared flags.
    static func clusterConfig(from a: ParsedArguments, train: TrainConfig) throws -> CoordinatorConfig {
        var c = CoordinatorConfig(train: train)
        if let n = try a.int("workers") { c.workers = n }
        if let m = a.string("mode") {
            guard let mode = RunConfig.Mode(rawValue: m.lowercased()) else { throw UsageError("--mode must be sync or async, got '\(m)'") }
            c.mode = mode
        }
        c.quorum = try a.int("quorum")
        c.staleness = try a.int("staleness")
        if let x = try a.double("round-timeout") { c.roundTimeout = x }
        if let n = try a.int("local-steps") { c.localSteps = n }
        if let s = a.string("compress") {
            let key = s.lowercased() == "none" ? "" : s.lowercased()
            guard let v = RunConfig.Compression(rawValue: key) else { throw UsageError("--compress must be none, bf16 or f16, got '\(s)'") }
            c.compress = v
        }
        c.maxRounds = try a.int("max-rounds")
        if let x = try a.double("heartbeat-timeout") { c.heartbeatTimeout = x }
        if let x = try a.double("join-timeout") { c.joinTimeout = x }
        if let n = try a.int("worker-log-every") { c.workerLogEvery = n }
        c.advertise = a.string("advertise")
        c.endpointFile = a.string("endpoint-file")
        c.insecure = a.has("insecure")
        c.curveSecretPath = a.string("curve-secret")
        c.authorizedKeysDirectory = a.string("authorized-keys")
        c.checkpointEvery = try a.int("checkpoint-every")
        c.checkpointDirectory = a.string("checkpoint-dir")
        return c
    }
}
