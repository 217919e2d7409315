import CPlexusProto
import CProtobufC

/// A liveness signal from a worker (the proto's `Heartbeat`).
public struct Heartbeat: Equatable, Sendable {
    /// The sending worker.
    public var workerID: Int
    /// The weight version the worker holds.
    public var version: Int

    /// A heartbeat from `workerID` holding weights `version`.
    public init(workerID: Int, version: Int) {
        self.workerID = workerID
        self.version = version
    }
}

extension Heartbeat {
    /// Copies a decoded C heartbeat into Swift.
    init(proto: UnsafePointer<Plexus__Heartbeat>) throws(WireError) {
        let message = proto.pointee
        self.init(workerID: Int(message.worker_id), version: try ProtoCodec.int(message.version, field: "heartbeat version"))
    }

    /// Builds the C heartbeat in `arena`.
    func proto(in arena: ProtoArena) -> UnsafeMutablePointer<Plexus__Heartbeat> {
        let message: UnsafeMutablePointer<Plexus__Heartbeat> = arena.message { plexus__heartbeat__init($0) }
        message.pointee.worker_id = ProtoCodec.u32(workerID)
        message.pointee.version = ProtoCodec.u64(version)
        return message
    }
}
