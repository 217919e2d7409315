import CPlexusProto
import CProtobufC

/// The coordinator's answer to a `Join`: the worker's id, the run configuration, its data shard and
/// the current weights (the proto's `Welcome`).
public struct Welcome: Equatable, Sendable {
    /// The id the coordinator assigned to the worker.
    public var workerID: Int
    /// Everything the worker needs to train.
    public var config: RunConfig
    /// `u8`, samples × features.
    public var shardImages: Tensor
    /// `u8`, samples.
    public var shardLabels: Tensor
    /// Version of `weights` (number of applied updates).
    public var version: Int
    /// The current parameters.
    public var weights: [Tensor]
    /// The protocol version the coordinator chose.
    public var protocolVersion: Int
    /// Number of label classes (output width).
    public var numClasses: Int
    /// Where the worker's first batch starts in its shard.
    public var shardCursor: Int

    /// A welcome.
    public init(workerID: Int, config: RunConfig, shardImages: Tensor, shardLabels: Tensor, version: Int,
                weights: [Tensor], protocolVersion: Int, numClasses: Int, shardCursor: Int = 0) {
        self.workerID = workerID
        self.config = config
        self.shardImages = shardImages
        self.shardLabels = shardLabels
        self.version = version
        self.weights = weights
        self.protocolVersion = protocolVersion
        self.numClasses = numClasses
        self.shardCursor = shardCursor
    }
}

extension Welcome {
    /// Copies a decoded C welcome into Swift; the config and both shard tensors must be present.
    init(proto: UnsafePointer<Plexus__Welcome>) throws(WireError) {
        let message = proto.pointee
        self.init(
            workerID: Int(message.worker_id),
            config: try RunConfig(proto: ProtoCodec.required(message.config, field: "welcome config")),
            shardImages: try Tensor(proto: ProtoCodec.required(message.shard_images, field: "welcome shard_images")),
            shardLabels: try Tensor(proto: ProtoCodec.required(message.shard_labels, field: "welcome shard_labels")),
            version: try ProtoCodec.int(message.version, field: "welcome version"),
            weights: try Tensor.list(message.weights, count: message.n_weights, field: "welcome weights"),
            protocolVersion: Int(message.protocol_version),
            numClasses: Int(message.num_classes),
            shardCursor: try ProtoCodec.int(message.shard_cursor, field: "welcome shard_cursor"))
    }

    /// Builds the C welcome in `arena`.
    func proto(in arena: ProtoArena) -> UnsafeMutablePointer<Plexus__Welcome> {
        let message: UnsafeMutablePointer<Plexus__Welcome> = arena.message { plexus__welcome__init($0) }
        message.pointee.worker_id = ProtoCodec.u32(workerID)
        message.pointee.config = config.proto(in: arena)
        message.pointee.shard_images = shardImages.proto(in: arena)
        message.pointee.shard_labels = shardLabels.proto(in: arena)
        message.pointee.version = ProtoCodec.u64(version)
        message.pointee.n_weights = weights.count
        message.pointee.weights = Tensor.proto(weights, in: arena)
        message.pointee.protocol_version = ProtoCodec.u32(protocolVersion)
        message.pointee.num_classes = ProtoCodec.u32(numClasses)
        message.pointee.shard_cursor = ProtoCodec.u64(shardCursor)
        return message
    }
}
