import CPlexusProto
import CProtobufC
import PlexusLearning

/// What a worker needs to train: the model, the optimizer and the schedule (the proto's `RunConfig`).
public struct RunConfig: Equatable, Sendable {
    /// How updates are aggregated on the coordinator (DESIGN.md §2).
    public enum Mode: String, CaseIterable, Sendable {
        /// Bulk-synchronous rounds with a quorum and a deadline.
        case sync
        /// Apply pushes on arrival, bounding staleness.
        case async
    }

    /// How workers compress the deltas they push.
    public enum Compression: String, CaseIterable, Sendable {
        /// Full precision (the proto's empty string).
        case none = ""
        /// bfloat16 deltas.
        case bf16
        /// IEEE binary16 deltas.
        case f16

        /// The dtype deltas travel in (`f32` when uncompressed).
        public var dtype: Tensor.DType {
            switch self {
            case .none: return .f32
            case .bf16: return .bf16
            case .f16: return .f16
            }
        }
    }

    /// The network and the learning rule.
    public var model: ModelSpec
    /// The optimizer the coordinator runs.
    public var optimizer: OptimizerSpec
    /// Per-worker batch size.
    public var batch: Int
    /// Local steps per push.
    public var localSteps: Int
    /// How deltas are compressed on the wire.
    public var compress: Compression
    /// Seed of the run (initialisation, shuffling, feedback matrices).
    public var seed: UInt64
    /// Epochs to train.
    public var epochs: Int
    /// Aggregation mode.
    public var mode: Mode
    /// Staleness bound (async mode).
    public var staleness: Int
    /// Whether each epoch visits the samples in a fresh seeded order.
    public var shuffle: Bool

    /// A run configuration (the defaults match the CLI's).
    public init(model: ModelSpec = ModelSpec(), optimizer: OptimizerSpec = OptimizerSpec(), batch: Int = 128,
                localSteps: Int = 1, compress: Compression = .none, seed: UInt64 = 0, epochs: Int = 1,
                mode: Mode = .sync, staleness: Int = 0, shuffle: Bool = true) {
        self.model = model
        self.optimizer = optimizer
        self.batch = batch
        self.localSteps = localSteps
        self.compress = compress
        self.seed = seed
        self.epochs = epochs
        self.mode = mode
        self.staleness = staleness
        self.shuffle = shuffle
    }
}

extension RunConfig {
    /// Copies a decoded C run config into Swift, parsing its enumerated strings.
    init(proto: UnsafePointer<Plexus__RunConfig>) throws(WireError) {
        let message = proto.pointee
        let model = try ModelSpec(proto: ProtoCodec.required(message.model, field: "run config model"))
        let optimizer = try OptimizerSpec(proto: ProtoCodec.required(message.optimizer, field: "run config optimizer"))
        let compressName = ProtoCodec.string(message.compress)
        let compressKey = compressName.lowercased() == "none" ? "" : compressName.lowercased()
        guard let compress = Compression(rawValue: compressKey) else {
            throw .invalidValue("run config: unknown compression '\(compressName)'; expected none (or empty), bf16 or f16")
        }
        let modeName = ProtoCodec.string(message.mode)
        guard let mode = Mode(rawValue: modeName.lowercased()) else {
            throw .invalidValue("run config: unknown mode '\(modeName)'; expected sync or async")
        }
        self.init(model: model, optimizer: optimizer, batch: Int(message.batch), localSteps: Int(message.local_steps),
                  compress: compress, seed: message.seed, epochs: Int(message.epochs), mode: mode,
                  staleness: Int(message.staleness), shuffle: message.shuffle != 0)
    }

    /// Builds the C run config in `arena`.
    func proto(in arena: ProtoArena) -> UnsafeMutablePointer<Plexus__RunConfig> {
        let message: UnsafeMutablePointer<Plexus__RunConfig> = arena.message { plexus__run_config__init($0) }
        message.pointee.model = model.proto(in: arena)
        message.pointee.optimizer = optimizer.proto(in: arena)
        message.pointee.batch = ProtoCodec.u32(batch)
        message.pointee.local_steps = ProtoCodec.u32(localSteps)
        message.pointee.compress = arena.string(compress.rawValue)
        message.pointee.seed = seed
        message.pointee.epochs = ProtoCodec.u32(epochs)
        message.pointee.mode = arena.string(mode.rawValue)
        message.pointee.staleness = ProtoCodec.u32(staleness)
        message.pointee.shuffle = shuffle ? 1 : 0
        return message
    }
}
