import PlexusLearning
import PlexusWire

/// Everything the coordinator of a cluster run needs: the training run (`train`, shared with the
/// single-process trainer) plus the cluster's shape, aggregation mode and time limits.
///
/// `train.batch` is the number of samples behind one update, as for `plexus train`: in `sync` mode a
/// round splits it over the live workers (sizes differ by at most one), in `async` mode every push
/// of every worker is one update of `train.batch` samples.
public struct CoordinatorConfig: Sendable {
    public var train: TrainConfig
    /// Worker slots: the training set is split into this many shards, one per worker.
    public var workers = 2
    /// Where the ROUTER binds (`tcp://127.0.0.1:*` picks a free port).
    public var bind = "tcp://127.0.0.1:5555"
    /// The address workers should connect to, when it differs from the bind address (multi-NIC
    /// hosts, wildcard binds): `HOST` or `HOST:PORT`.
    public var advertise: String?
    public var mode: RunConfig.Mode = .sync
    /// Sync: aggregate the first `quorum` pushes of a round (nil: every live worker's).
    public var quorum: Int?
    /// Async: reject a push more than this many versions stale (nil: the number of workers).
    public var staleness: Int?
    /// Sync: a round that has not reached its quorum after this many seconds closes with the pushes
    /// it has (or is sent again when it has none).
    public var roundTimeout = 60.0
    /// A worker not heard from for this many seconds has left.
    public var heartbeatTimeout = 10.0
    /// Seconds to wait for all workers before training starts with those that came (at least one),
    /// and for a worker to come back when none is left.
    public var joinTimeout = 120.0
    /// Local SGD steps each worker takes per push.
    public var localSteps = 1
    /// Tensors travel in this dtype both ways (`none`: f32, or f64 with `--precision f64`).
    public var compress: RunConfig.Compression = .none
    /// Stop after this many rounds (sync) or updates (async), even mid-epoch.
    public var maxRounds: Int?
    /// Log each worker's own metrics every this many rounds.
    public var workerLogEvery = 10
    /// Allow a non-loopback bind without CURVE.
    public var insecure = false
    /// CURVE: the coordinator's secret certificate (zcert) and the directory of worker public keys.
    public var curveSecretPath: String?
    public var authorizedKeysDirectory: String?
    /// Write the address workers connect to into this file once bound (for scripts).
    public var endpointFile: String?
    /// Save a resumable checkpoint every this many rounds (sync rounds; async reporting windows)
    /// into `checkpointDirectory` (see `Coordinator.checkpointFileName`).
    public var checkpointEvery: Int?
    public var checkpointDirectory: String?

    public init(train: TrainConfig = TrainConfig()) {
        self.train = train
    }

    /// The quorum in effect with `live` workers.
    public func quorum(live: Int) -> Int { Swift.min(quorum ?? live, live) }

    /// The staleness bound in effect.
    public var stalenessBound: Int { staleness ?? workers }

    /// Checks the values; every problem is one line naming the flag.
    public func validate() throws {
        try train.validate()
        guard workers >= 1 else { throw RunError("--workers must be at least 1, got \(workers)") }
        guard workers <= 4096 else { throw RunError("--workers must be at most 4096, got \(workers)") }
        if let q = quorum, q < 1 || q > workers { throw RunError("--quorum must be in 1…\(workers) (the number of workers), got \(q)") }
        if let s = staleness, s < 0 { throw RunError("--staleness must be ≥ 0, got \(s)") }
        if quorum != nil && mode == .async { throw RunError("--quorum applies to --mode sync; async applies every push on arrival") }
        if staleness != nil && mode == .sync { throw RunError("--staleness applies to --mode async; sync rounds are never stale") }
        guard roundTimeout > 0 else { throw RunError("--round-timeout must be positive, got \(roundTimeout)") }
        guard heartbeatTimeout > 0 else { throw RunError("--heartbeat-timeout must be positive, got \(heartbeatTimeout)") }
        guard joinTimeout > 0 else { throw RunError("--join-timeout must be positive, got \(joinTimeout)") }
        guard localSteps >= 1 && localSteps <= 10_000 else { throw RunError("--local-steps must be in 1…10000, got \(localSteps)") }
        if let r = maxRounds, r < 1 { throw RunError("--max-rounds must be positive, got \(r)") }
        guard workerLogEvery >= 1 else { throw RunError("--worker-log-every must be positive, got \(workerLogEvery)") }
        guard train.batch <= 1 << 20 else { throw RunError("--batch must be at most \(1 << 20), got \(train.batch)") }
        if mode == .sync && train.batch < workers {
            throw RunError("--batch \(train.batch) is smaller than --workers \(workers): every worker needs at least one sample per round")
        }
        if let n = checkpointEvery, n < 1 { throw RunError("--checkpoint-every must be positive, got \(n)") }
        if checkpointEvery != nil && checkpointDirectory == nil {
            throw RunError("--checkpoint-every needs --checkpoint-dir DIR (where the checkpoints go)")
        }
        if (curveSecretPath == nil) != (authorizedKeysDirectory == nil) {
            throw RunError("CURVE needs both --curve-secret FILE and --authorized-keys DIR")
        }
        let bound = try ClusterEndpoint.normalize(bind)
        if !ClusterEndpoint.isLoopback(bound) && curveSecretPath == nil && !insecure {
            throw RunError("refusing to bind \(bound) without encryption: anyone who can reach it could join and read the data; "
                + "give --curve-secret FILE --authorized-keys DIR, or --insecure on a trusted network")
        }
    }

    /// What each worker is told at Welcome.
    public var runConfig: RunConfig {
        RunConfig(model: train.model, optimizer: train.optimizer, batch: train.batch, localSteps: localSteps,
                  compress: compress, seed: train.seed, epochs: train.epochs, mode: mode,
                  staleness: mode == .async ? stalenessBound : 0, shuffle: train.shuffle)
    }
}
