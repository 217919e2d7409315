import CPlexusProto
import CProtobufC

/// The coordinator's request that a worker exit (the proto's `Shutdown`).
public struct Shutdown: Equatable, Sendable {
    /// Why the run ends, for the worker's log.
    public var reason: String

    /// A shutdown request.
    public init(reason: String) {
        self.reason = reason
    }
}

extension Shutdown {
    /// Copies a decoded C shutdown into Swift.
    init(proto: UnsafePointer<Plexus__Shutdown>) {
        self.init(reason: ProtoCodec.string(proto.pointee.reason))
    }

    /// Builds the C shutdown in `arena`.
    func proto(in arena: ProtoArena) -> UnsafeMutablePointer<Plexus__Shutdown> {
        let message: UnsafeMutablePointer<Plexus__Shutdown> = arena.message { plexus__shutdown__init($0) }
        message.pointee.reason = arena.string(reason)
        return message
    }
}
