import CPlexusProto
import CProtobufC

/// A worker's update: descent directions computed against weight version `baseVersion`
/// (the proto's `Push`).
public struct Push: Equatable, Sendable {
    /// The sending worker.
    public var workerID: Int
    /// The weight version the deltas were computed against.
    public var baseVersion: Int
    /// Descent directions, named like the weights.
    public var deltas: [Tensor]
    /// Samples behind the deltas (the aggregation weight).
    public var sampleCount: Int
    /// What the worker measured while computing the deltas.
    public var metrics: WorkerMetrics
    /// The round the push belongs to (sync mode).
    public var round: Int
    /// Where the worker's next batch starts in its shard.
    public var shardCursor: Int

    /// A push; metrics, round and cursor default to zero.
    public init(workerID: Int, baseVersion: Int, deltas: [Tensor], sampleCount: Int,
                metrics: WorkerMetrics = WorkerMetrics(), round: Int = 0, shardCursor: Int = 0) {
        self.workerID = workerID
        self.baseVersion = baseVersion
        self.deltas = deltas
        self.sampleCount = sampleCount
        self.metrics = metrics
        self.round = round
        self.shardCursor = shardCursor
    }
}

extension Push {
    /// Copies a decoded C push into Swift (absent metrics read as all zero).
    init(proto: UnsafePointer<Plexus__Push>) throws(WireError) {
        let message = proto.pointee
        var metrics = WorkerMetrics()
        if let present = message.metrics { metrics = try WorkerMetrics(proto: present) }
        self.init(workerID: Int(message.worker_id),
                  baseVersion: try ProtoCodec.int(message.base_version, field: "push base_version"),
                  deltas: try Tensor.list(message.deltas, count: message.n_deltas, field: "push deltas"),
                  sampleCount: try ProtoCodec.int(message.sample_count, field: "push sample_count"),
                  metrics: metrics,
                  round: try ProtoCodec.int(message.round, field: "push round"),
                  shardCursor: try ProtoCodec.int(message.shard_cursor, field: "push shard_cursor"))
    }

    /// Builds the C push in `arena`.
    func proto(in arena: ProtoArena) -> UnsafeMutablePointer<Plexus__Push> {
        let message: UnsafeMutablePointer<Plexus__Push> = arena.message { plexus__push__init($0) }
        message.pointee.worker_id = ProtoCodec.u32(workerID)
        message.pointee.base_version = ProtoCodec.u64(baseVersion)
        message.pointee.n_deltas = deltas.count
        message.pointee.deltas = Tensor.proto(deltas, in: arena)
        message.pointee.sample_count = ProtoCodec.u64(sampleCount)
        message.pointee.metrics = metrics.proto(in: arena)
        message.pointee.round = ProtoCodec.u64(round)
        message.pointee.shard_cursor = ProtoCodec.u64(shardCursor)
        return message
    }
}
