#if canImport(Glibc)
import Glibc
#endif

/// Settings of one worker process. Everything about the training run itself comes from the
/// coordinator at Welcome; these only say how to reach it and how to compute.
public struct WorkerConfig: Sendable {
    /// The coordinator's address, `tcp://HOST:PORT`.
    public var endpoint: String
    /// The worker's name: the coordinator re-admits a worker of the same name to the same shard.
    public var name: String
    /// Give up (with an error saying so) if the coordinator cannot be reached and joined in this
    /// many seconds.
    public var connectTimeout = 30.0
    /// Seconds between heartbeats.
    public var heartbeatInterval = 1.0
    /// Give up if nothing is heard from the coordinator for this many seconds after joining.
    public var coordinatorTimeout = 60.0
    /// Compute threads (batch slices, one BLAS thread each).
    public var threads = 1
    /// With `--compress`, keep the rounding residual of each pushed delta and add it to the next.
    public var errorFeedback = true
    /// Exit as soon as this process is no longer the parent (set by `plexus launch`).
    public var parentPID: Int32?
    /// The protocol versions to announce (a test hook for the version check).
    public var protocolVersion = ClusterProtocol.version
    public var minProtocolVersion = ClusterProtocol.minimumVersion
    /// CURVE: this worker's secret certificate and the coordinator's public certificate.
    public var curveSecretPath: String?
    public var coordinatorKeyPath: String?
    /// Benchmark hook: push zero deltas without computing (measures the wire alone).
    public var skipCompute = false
    /// Print what happens (join, shutdown) on standard output.
    public var verbose = true

    public init(endpoint: String, name: String) {
        self.endpoint = endpoint
        self.name = name
    }

    /// The default worker name: `rank-N` under Slurm (`SLURM_PROCID`, stable across restarts, so a
    /// restarted task gets its shard back), otherwise `HOST-PID`.
    public static func defaultName(environment: [String: String]) -> String {
        if let rank = environment["SLURM_PROCID"], let r = Int(rank) { return "rank-\(r)" }
        return "\(ClusterEndpoint.hostName())-\(getpid())"
    }

    /// Checks the values; every problem is one line naming the flag.
    public func validate() throws {
        _ = try ClusterEndpoint.normalize(endpoint)
        guard !name.isEmpty, name.utf8.count <= 200 else { throw RunError("--name must have 1 to 200 bytes") }
        guard connectTimeout > 0 else { throw RunError("--connect-timeout must be positive, got \(connectTimeout)") }
        guard heartbeatInterval > 0 else { throw RunError("--heartbeat must be positive, got \(heartbeatInterval)") }
        guard coordinatorTimeout > heartbeatInterval else {
            throw RunError("--coordinator-timeout must exceed --heartbeat (\(heartbeatInterval) s), got \(coordinatorTimeout)")
        }
        guard threads >= 1 && threads <= 256 else { throw RunError("--threads must be in 1…256, got \(threads)") }
        if (curveSecretPath == nil) != (coordinatorKeyPath == nil) {
            throw RunError("CURVE needs both --curve-secret FILE and --coordinator-key FILE")
        }
    }
}
