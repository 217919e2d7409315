import CPlexusProto
import CProtobufC

/// The coordinator's current weights, sent to a worker (the proto's `Weights`).
public struct Weights: Equatable, Sendable {
    /// Number of applied updates.
    public var version: Int
    /// The parameters, named `layer{l}.weight` etc.
    public var tensors: [Tensor]
    /// The round these weights open (sync mode).
    public var round: Int
    /// Where the worker's next batch starts in its shard.
    public var shardCursor: Int
    /// Samples the worker should use this round.
    public var batch: Int

    /// Weights at `version`; round, cursor and batch default to zero.
    public init(version: Int, tensors: [Tensor], round: Int = 0, shardCursor: Int = 0, batch: Int = 0) {
        self.version = version
        self.tensors = tensors
        self.round = round
        self.shardCursor = shardCursor
        self.batch = batch
    }
}

extension Weights {
    /// Copies decoded C weights into Swift.
    init(proto: UnsafePointer<Plexus__Weights>) throws(WireError) {
        let message = proto.pointee
        self.init(version: try ProtoCodec.int(message.version, field: "weights version"),
                  tensors: try Tensor.list(message.tensors, count: message.n_tensors, field: "weights tensors"),
                  round: try ProtoCodec.int(message.round, field: "weights round"),
                  shardCursor: try ProtoCodec.int(message.shard_cursor, field: "weights shard_cursor"),
                  batch: Int(message.batch))
    }

    /// Builds the C weights in `arena`.
    func proto(in arena: ProtoArena) -> UnsafeMutablePointer<Plexus__Weights> {
        let message: UnsafeMutablePointer<Plexus__Weights> = arena.message { plexus__weights__init($0) }
        message.pointee.version = ProtoCodec.u64(version)
        message.pointee.n_tensors = tensors.count
        message.pointee.tensors = Tensor.proto(tensors, in: arena)
        message.pointee.round = ProtoCodec.u64(round)
        message.pointee.shard_cursor = ProtoCodec.u64(shardCursor)
        message.pointee.batch = ProtoCodec.u32(batch)
        return message
    }
}
