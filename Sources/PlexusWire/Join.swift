import CPlexusProto
import CProtobufC

/// A worker's first message to the coordinator (the proto's `Join`).
public struct Join: Equatable, Sendable {
    /// The newest protocol version the worker speaks.
    public var protocolVersion: Int
    /// The worker's name (for logs), e.g. `worker-3`.
    public var workerName: String
    /// Host name the worker runs on.
    public var host: String
    /// Process id of the worker on its host.
    public var pid: Int
    /// The oldest protocol version the worker still speaks.
    public var minProtocolVersion: Int

    /// A join; `minProtocolVersion` defaults to `protocolVersion` (a worker that speaks only one version).
    public init(protocolVersion: Int, workerName: String, host: String, pid: Int, minProtocolVersion: Int? = nil) {
        self.protocolVersion = protocolVersion
        self.workerName = workerName
        self.host = host
        self.pid = pid
        self.minProtocolVersion = minProtocolVersion ?? protocolVersion
    }
}

extension Join {
    /// Copies a decoded C join into Swift.
    init(proto: UnsafePointer<Plexus__Join>) {
        let message = proto.pointee
        self.init(protocolVersion: Int(message.protocol_version), workerName: ProtoCodec.string(message.worker_name),
                  host: ProtoCodec.string(message.host), pid: Int(message.pid),
                  minProtocolVersion: Int(message.min_protocol_version))
    }

    /// Builds the C join in `arena`.
    func proto(in arena: ProtoArena) -> UnsafeMutablePointer<Plexus__Join> {
        let message: UnsafeMutablePointer<Plexus__Join> = arena.message { plexus__join__init($0) }
        message.pointee.protocol_version = ProtoCodec.u32(protocolVersion)
        message.pointee.worker_name = arena.string(workerName)
        message.pointee.host = arena.string(host)
        message.pointee.pid = ProtoCodec.u32(pid)
        message.pointee.min_protocol_version = ProtoCodec.u32(minProtocolVersion)
        return message
    }
}
