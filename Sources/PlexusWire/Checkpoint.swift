import CPlexusProto
import CProtobufC
import PlexusLearning

/// Everything needed to resume training exactly (the proto's `Checkpoint`): the model, its
/// parameters (`layer{l}.weight`, `layer{l}.bias`, `layer{l}.feedback`), the optimizer with its state
/// (tensors named `opt.<slot>.<tensor name>`) and the position in the schedule.
/// `CheckpointFile` reads and writes it as a file; `validate(against:)` checks it fits a model.
public struct Checkpoint: Equatable, Sendable {
    /// The format version this build writes and reads.
    public static let currentFormatVersion = 1

    /// Format version of the file this came from (or will be written as).
    public var formatVersion: Int
    /// The network and rule the parameters belong to.
    public var model: ModelSpec
    /// Parameters: `layer{l}.weight`, `layer{l}.bias`, `layer{l}.feedback`.
    public var tensors: [Tensor]
    /// The optimizer whose state `optimizerState` holds.
    public var optimizer: OptimizerSpec
    /// Optimizer slots, named `opt.<slot>.<tensor name>` (e.g. `opt.m.layer1.weight`).
    public var optimizerState: [Tensor]
    /// Optimizer steps taken (Adam's bias-correction counter).
    public var optimizerStep: Int
    /// Weight version: number of applied updates.
    public var version: Int
    /// Aggregation rounds completed.
    public var round: Int
    /// Epochs completed.
    public var epoch: Int
    /// Training samples consumed so far.
    public var samplesSeen: Int
    /// The distributed run's configuration, if the checkpoint came from one.
    public var run: RunConfig?
    /// The program that wrote the checkpoint, e.g. `plexus 0.1`.
    public var createdBy: String
    /// Position in the epoch's sample order.
    public var dataCursor: Int
    /// Cluster runs: the name holding each worker slot (slot order; "" for a never-used slot).
    public var workerNames: [String] = []
    /// Cluster runs: each slot's position in its sample stream (slot order).
    public var workerCursors: [Int] = []
    /// Cluster runs: the length of the metrics log when the checkpoint was taken (0: unknown).
    public var logBytes: Int = 0

    /// A checkpoint; everything but the model, parameters and optimizer defaults to a fresh start.
    public init(model: ModelSpec, tensors: [Tensor], optimizer: OptimizerSpec, optimizerState: [Tensor] = [],
                optimizerStep: Int = 0, version: Int = 0, round: Int = 0, epoch: Int = 0, samplesSeen: Int = 0,
                run: RunConfig? = nil, createdBy: String = "plexus", dataCursor: Int = 0,
                formatVersion: Int = Checkpoint.currentFormatVersion) {
        self.formatVersion = formatVersion
        self.model = model
        self.tensors = tensors
        self.optimizer = optimizer
        self.optimizerState = optimizerState
        self.optimizerStep = optimizerStep
        self.version = version
        self.round = round
        self.epoch = epoch
        self.samplesSeen = samplesSeen
        self.run = run
        self.createdBy = createdBy
        self.dataCursor = dataCursor
    }

    /// The parameter tensor called `name`, if present.
    public func tensor(named name: String) -> Tensor? {
        tensors.first { $0.name == name }
    }

    /// The protobuf encoding of this checkpoint (without the file trailer `CheckpointFile` adds).
    public func encoded() -> [UInt8] {
        let arena = ProtoArena()
        return withExtendedLifetime(arena) {
            ProtoCodec.pack(
                UnsafePointer(proto(in: arena)),
                size: { plexus__checkpoint__get_packed_size($0) },
                pack: { plexus__checkpoint__pack($0, $1) })
        }
    }

    /// Parses an encoded checkpoint; never traps on bad input (see `Message.decode`). Throws
    /// `unsupportedFormatVersion` for a version newer than `currentFormatVersion`, before looking
    /// at anything else, and `malformed` if the version is missing.
    public static func decode(_ bytes: UnsafeRawBufferPointer, maximumSize: Int = Message.defaultMaximumSize)
        throws(WireError) -> Checkpoint
    {
        try ProtoCodec.unpack(
            bytes, maximumSize: maximumSize, what: "checkpoint",
            unpack: { plexus__checkpoint__unpack(nil, $0, $1) },
            free: { plexus__checkpoint__free_unpacked($0, nil) },
            convert: { (message) throws(WireError) in try Checkpoint(proto: message) })
    }

    /// Parses an encoded checkpoint (see `decode(_:maximumSize:)` for a raw buffer).
    public static func decode(_ bytes: [UInt8], maximumSize: Int = Message.defaultMaximumSize)
        throws(WireError) -> Checkpoint
    {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(WireError) in try decode(raw, maximumSize: maximumSize) }
        }
        return try result.get()
    }
}

extension Checkpoint {
    /// Copies a decoded C checkpoint into Swift; the version is checked first, the model and the
    /// optimizer must be present.
    init(proto: UnsafePointer<Plexus__Checkpoint>) throws(WireError) {
        let message = proto.pointee
        let formatVersion = Int(message.format_version)
        guard formatVersion != 0 else { throw .malformed("checkpoint has no format version") }
        guard formatVersion <= Checkpoint.currentFormatVersion else {
            throw .unsupportedFormatVersion(found: formatVersion, supported: Checkpoint.currentFormatVersion)
        }
        var run: RunConfig?
        if let present = message.run { run = try RunConfig(proto: present) }
        self.init(
            model: try ModelSpec(proto: ProtoCodec.required(message.model, field: "checkpoint model")),
            tensors: try Tensor.list(message.tensors, count: message.n_tensors, field: "checkpoint tensors"),
            optimizer: try OptimizerSpec(proto: ProtoCodec.required(message.optimizer, field: "checkpoint optimizer")),
            optimizerState: try Tensor.list(message.optimizer_state, count: message.n_optimizer_state,
                                            field: "checkpoint optimizer_state"),
            optimizerStep: try ProtoCodec.int(message.optimizer_step, field: "checkpoint optimizer_step"),
            version: try ProtoCodec.int(message.version, field: "checkpoint version"),
            round: try ProtoCodec.int(message.round, field: "checkpoint round"),
            epoch: Int(message.epoch),
            samplesSeen: try ProtoCodec.int(message.samples_seen, field: "checkpoint samples_seen"),
            run: run,
            createdBy: ProtoCodec.string(message.created_by),
            dataCursor: try ProtoCodec.int(message.data_cursor, field: "checkpoint data_cursor"),
            formatVersion: formatVersion)
        workerNames = (0..<message.n_worker_names).map { ProtoCodec.string(message.worker_names?[$0]) }
        workerCursors = try ProtoCodec.values(message.worker_cursors, count: message.n_worker_cursors)
            .map { (value) throws(WireError) in try ProtoCodec.int(value, field: "checkpoint worker_cursors") }
        guard workerCursors.count == workerNames.count else {
            throw .malformed("checkpoint has \(workerNames.count) worker names but \(workerCursors.count) worker cursors")
        }
        logBytes = try ProtoCodec.int(message.log_bytes, field: "checkpoint log_bytes")
    }

    /// Builds the C checkpoint in `arena`.
    func proto(in arena: ProtoArena) -> UnsafeMutablePointer<Plexus__Checkpoint> {
        let message: UnsafeMutablePointer<Plexus__Checkpoint> = arena.message { plexus__checkpoint__init($0) }
        message.pointee.format_version = ProtoCodec.u32(formatVersion)
        message.pointee.model = model.proto(in: arena)
        message.pointee.n_tensors = tensors.count
        message.pointee.tensors = Tensor.proto(tensors, in: arena)
        message.pointee.optimizer = optimizer.proto(in: arena)
        message.pointee.n_optimizer_state = optimizerState.count
        message.pointee.optimizer_state = Tensor.proto(optimizerState, in: arena)
        message.pointee.optimizer_step = ProtoCodec.u64(optimizerStep)
        message.pointee.version = ProtoCodec.u64(version)
        message.pointee.round = ProtoCodec.u64(round)
        message.pointee.epoch = ProtoCodec.u32(epoch)
        message.pointee.samples_seen = ProtoCodec.u64(samplesSeen)
        message.pointee.run = run?.proto(in: arena)
        message.pointee.created_by = arena.string(createdBy)
        message.pointee.data_cursor = ProtoCodec.u64(dataCursor)
        message.pointee.n_worker_names = workerNames.count
        message.pointee.worker_names = arena.array(workerNames.map { Optional(arena.string($0)) })
        message.pointee.n_worker_cursors = workerCursors.count
        message.pointee.worker_cursors = arena.array(workerCursors.map(ProtoCodec.u64))
        message.pointee.log_bytes = ProtoCodec.u64(logBytes)
        return message
    }
}
