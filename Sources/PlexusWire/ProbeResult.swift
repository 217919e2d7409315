import CPlexusProto
import CProtobufC
import PlexusLearning

/// The output of `plexus probe`: every rule's update on one batch, against the same weights
/// (the proto's `ProbeResult`). `ProbeResultFile` reads and writes it as a file.
public struct ProbeResult: Equatable, Sendable {
    /// The network the rules were probed on.
    public var model: ModelSpec
    /// Index of the probed batch in the data set.
    public var batchIndex: Int
    /// Samples in the probed batch.
    public var batchSize: Int
    /// The `--data` spec the batch came from.
    public var data: String
    /// One entry per probed rule.
    public var updates: [RuleUpdate]

    /// A probe result.
    public init(model: ModelSpec, batchIndex: Int, batchSize: Int, data: String, updates: [RuleUpdate]) {
        self.model = model
        self.batchIndex = batchIndex
        self.batchSize = batchSize
        self.data = data
        self.updates = updates
    }

    /// The protobuf encoding of this probe result (without the file trailer `ProbeResultFile` adds).
    public func encoded() -> [UInt8] {
        let arena = ProtoArena()
        return withExtendedLifetime(arena) {
            ProtoCodec.pack(
                UnsafePointer(proto(in: arena)),
                size: { plexus__probe_result__get_packed_size($0) },
                pack: { plexus__probe_result__pack($0, $1) })
        }
    }

    /// Parses an encoded probe result; never traps on bad input (see `Message.decode`).
    public static func decode(_ bytes: UnsafeRawBufferPointer, maximumSize: Int = Message.defaultMaximumSize)
        throws(WireError) -> ProbeResult
    {
        try ProtoCodec.unpack(
            bytes, maximumSize: maximumSize, what: "probe result",
            unpack: { plexus__probe_result__unpack(nil, $0, $1) },
            free: { plexus__probe_result__free_unpacked($0, nil) },
            convert: { (message) throws(WireError) in try ProbeResult(proto: message) })
    }

    /// Parses an encoded probe result (see `decode(_:maximumSize:)` for a raw buffer).
    public static func decode(_ bytes: [UInt8], maximumSize: Int = Message.defaultMaximumSize)
        throws(WireError) -> ProbeResult
    {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(WireError) in try decode(raw, maximumSize: maximumSize) }
        }
        return try result.get()
    }
}

extension ProbeResult {
    /// Copies a decoded C probe result into Swift; the model must be present.
    init(proto: UnsafePointer<Plexus__ProbeResult>) throws(WireError) {
        let message = proto.pointee
        self.init(model: try ModelSpec(proto: ProtoCodec.required(message.model, field: "probe result model")),
                  batchIndex: Int(message.batch_index), batchSize: Int(message.batch_size),
                  data: ProtoCodec.string(message.data),
                  updates: try ProtoCodec.list(message.updates, count: message.n_updates, field: "probe result updates") {
                      (update) throws(WireError) in try RuleUpdate(proto: update)
                  })
    }

    /// Builds the C probe result in `arena`.
    func proto(in arena: ProtoArena) -> UnsafeMutablePointer<Plexus__ProbeResult> {
        let message: UnsafeMutablePointer<Plexus__ProbeResult> = arena.message { plexus__probe_result__init($0) }
        message.pointee.model = model.proto(in: arena)
        message.pointee.batch_index = ProtoCodec.u32(batchIndex)
        message.pointee.batch_size = ProtoCodec.u32(batchSize)
        message.pointee.data = arena.string(data)
        message.pointee.n_updates = updates.count
        message.pointee.updates = arena.pointers(updates.map { $0.proto(in: arena) })
        return message
    }
}
