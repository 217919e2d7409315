import CPlexusProto
import CProtobufC

/// One frame of the coordinator/worker protocol: the body of the proto's `Envelope`.
///
/// `encoded()` gives the Envelope's protobuf bytes; `decode(_:maximumSize:)` parses them back. Decoding
/// never traps, whatever the input: oversized input is refused up front, anything protobuf-c cannot
/// parse becomes `WireError.malformed`, an envelope with no body is malformed, one whose body is a
/// field this build does not know is `WireError.unknownMessageType`, and every field is checked as it
/// is copied into Swift (ranges, tensor sizes, enumerated strings).
public enum Message: Equatable, Sendable {
    /// Worker → coordinator: hello.
    case join(Join)
    /// Coordinator → worker: id, configuration, shard and weights.
    case welcome(Welcome)
    /// Worker → coordinator: deltas.
    case push(Push)
    /// Coordinator → worker: new weights.
    case weights(Weights)
    /// Either way: still alive.
    case heartbeat(Heartbeat)
    /// Either way: something went wrong.
    case error(ErrorMessage)
    /// Coordinator → worker: exit.
    case shutdown(Shutdown)

    /// The default bound on an encoded message's size for `decode`: 1 GiB.
    public static let defaultMaximumSize = ProtoCodec.defaultMaximumSize

    /// The message type's name (`join`, `welcome`, …), for logs and errors.
    public var kind: String {
        switch self {
        case .join: return "join"
        case .welcome: return "welcome"
        case .push: return "push"
        case .weights: return "weights"
        case .heartbeat: return "heartbeat"
        case .error: return "error"
        case .shutdown: return "shutdown"
        }
    }

    /// The protobuf encoding of the Envelope holding this message.
    public func encoded() -> [UInt8] {
        let arena = ProtoArena()
        return withExtendedLifetime(arena) {
            let envelope: UnsafeMutablePointer<Plexus__Envelope> = arena.message { plexus__envelope__init($0) }
            switch self {
            case .join(let body):
                envelope.pointee.body_case = PLEXUS__ENVELOPE__BODY_JOIN
                envelope.pointee.join = body.proto(in: arena)
            case .welcome(let body):
                envelope.pointee.body_case = PLEXUS__ENVELOPE__BODY_WELCOME
                envelope.pointee.welcome = body.proto(in: arena)
            case .push(let body):
                envelope.pointee.body_case = PLEXUS__ENVELOPE__BODY_PUSH
                envelope.pointee.push = body.proto(in: arena)
            case .weights(let body):
                envelope.pointee.body_case = PLEXUS__ENVELOPE__BODY_WEIGHTS
                envelope.pointee.weights = body.proto(in: arena)
            case .heartbeat(let body):
                envelope.pointee.body_case = PLEXUS__ENVELOPE__BODY_HEARTBEAT
                envelope.pointee.heartbeat = body.proto(in: arena)
            case .error(let body):
                envelope.pointee.body_case = PLEXUS__ENVELOPE__BODY_ERROR
                envelope.pointee.error = body.proto(in: arena)
            case .shutdown(let body):
                envelope.pointee.body_case = PLEXUS__ENVELOPE__BODY_SHUTDOWN
                envelope.pointee.shutdown = body.proto(in: arena)
            }
            return ProtoCodec.pack(
                UnsafePointer(envelope),
                size: { plexus__envelope__get_packed_size($0) },
                pack: { plexus__envelope__pack($0, $1) })
        }
    }

    /// Parses an encoded Envelope. Throws `messageTooLarge` if `bytes` exceeds `maximumSize`,
    /// `malformed` for anything that is not a complete, valid Envelope, and `unknownMessageType`
    /// for a body this build does not know.
    public static func decode(_ bytes: UnsafeRawBufferPointer, maximumSize: Int = defaultMaximumSize)
        throws(WireError) -> Message
    {
        try ProtoCodec.unpack(
            bytes, maximumSize: maximumSize, what: "message",
            unpack: { plexus__envelope__unpack(nil, $0, $1) },
            free: { plexus__envelope__free_unpacked($0, nil) },
            convert: { (envelope) throws(WireError) in try Message(envelope: envelope) })
    }

    /// Parses an encoded Envelope (see `decode(_:maximumSize:)` for a raw buffer).
    public static func decode(_ bytes: [UInt8], maximumSize: Int = defaultMaximumSize) throws(WireError) -> Message {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(WireError) in try decode(raw, maximumSize: maximumSize) }
        }
        return try result.get()
    }

    /// Copies a decoded C envelope's body into Swift.
    private init(envelope: UnsafePointer<Plexus__Envelope>) throws(WireError) {
        let message = envelope.pointee
        switch message.body_case {
        case PLEXUS__ENVELOPE__BODY_JOIN:
            self = .join(Join(proto: try ProtoCodec.required(message.join, field: "join")))
        case PLEXUS__ENVELOPE__BODY_WELCOME:
            self = .welcome(try Welcome(proto: ProtoCodec.required(message.welcome, field: "welcome")))
        case PLEXUS__ENVELOPE__BODY_PUSH:
            self = .push(try Push(proto: ProtoCodec.required(message.push, field: "push")))
        case PLEXUS__ENVELOPE__BODY_WEIGHTS:
            self = .weights(try Weights(proto: ProtoCodec.required(message.weights, field: "weights")))
        case PLEXUS__ENVELOPE__BODY_HEARTBEAT:
            self = .heartbeat(try Heartbeat(proto: ProtoCodec.required(message.heartbeat, field: "heartbeat")))
        case PLEXUS__ENVELOPE__BODY_ERROR:
            self = .error(ErrorMessage(proto: try ProtoCodec.required(message.error, field: "error")))
        case PLEXUS__ENVELOPE__BODY_SHUTDOWN:
            self = .shutdown(Shutdown(proto: try ProtoCodec.required(message.shutdown, field: "shutdown")))
        default:
            // protobuf-c keeps fields it does not know as unknown fields: a body from a newer peer.
            if message.base.n_unknown_fields > 0, let unknown = message.base.unknown_fields {
                throw .unknownMessageType(Int(unknown[0].tag))
            }
            throw .malformed("envelope has no body")
        }
    }
}
