import PlexusWire

/// Constants of the coordinator/worker protocol (DESIGN.md §2): the protocol versions this build
/// speaks, the codes of the `Error` messages either side sends, and the socket settings both use.
public enum ClusterProtocol {
    /// The newest protocol version this build speaks (sent in `Join`, echoed in `Welcome`).
    public static let version = 1
    /// The oldest protocol version this build still speaks.
    public static let minimumVersion = 1

    /// `"1"` or `"1–2"`: a version range for messages.
    public static func describe(_ low: Int, _ high: Int) -> String {
        low == high ? "\(high)" : "\(low)–\(high)"
    }

    /// Codes of the `Error` messages (the receiver branches on them; the text is for people).
    public enum ErrorCode: Int, Sendable {
        /// The peers share no protocol version. Fatal for the worker.
        case protocolMismatch = 1
        /// Every worker slot of the run is taken by a live worker. Fatal for the worker.
        case runFull = 2
        /// A message from a peer the coordinator does not know (never joined, or dropped after
        /// falling silent). The worker joins again.
        case notJoined = 3
        /// A message that does not fit the run (wrong shapes, names, sizes, non-finite values, a
        /// batch larger than announced). The message is dropped; the sender carries on.
        case invalidMessage = 4
        /// A message type that the receiver never expects from that side.
        case unexpectedMessage = 5
        /// The worker cannot train with what it was sent (e.g. an unusable shard). Fatal.
        case workerFailed = 6
        /// Joins from one connection came faster than `minimumJoinInterval`, or the connection has
        /// already joined under another name. The Join is dropped; the sender may retry later.
        case joinRefused = 7
    }

    /// Seconds a connection must wait between two Joins (workers retry every 5 s); faster Joins
    /// are refused without a Welcome, so a flood costs the coordinator no shard copies.
    public static let minimumJoinInterval = 1.0

    // MARK: socket settings (set explicitly on every socket; see `configure…`)

    /// Linger of the coordinator's ROUTER: long enough to flush the final `Shutdown`s, bounded so
    /// that exit never hangs on an unreachable peer.
    public static let coordinatorLingerMilliseconds: Int32 = 1000
    /// Linger of a worker's DEALER: a worker's last message is never essential.
    public static let workerLingerMilliseconds: Int32 = 200
    /// High-water marks, in messages per peer. A round has at most a few messages per peer in
    /// flight (weights, heartbeats), so these only bound memory when a peer stops reading.
    public static let coordinatorHighWaterMark: Int32 = 1000
    public static let workerHighWaterMark: Int32 = 100
    /// Largest message a worker accepts: a Welcome carries a whole data shard. 1 GiB.
    public static let workerMaxMessageBytes: Int64 = 1 << 30

    /// Largest message the coordinator accepts from a worker: a push of every parameter in f64
    /// (the widest dtype) plus generous room for names, shapes and metrics.
    public static func coordinatorMaxMessageBytes(parameterCount: Int) -> Int64 {
        Int64(parameterCount) * 8 + (1 << 20)
    }
}
