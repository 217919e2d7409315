import CPlexusProto
import CProtobufC

/// An error reported to the peer, with a numeric code and readable text (the proto's `Error`;
/// named `ErrorMessage` so it does not shadow Swift's `Error` protocol).
public struct ErrorMessage: Equatable, Sendable, CustomStringConvertible {
    /// A numeric code the receiver can branch on.
    public var code: Int
    /// One readable line.
    public var text: String

    /// An error with `code` and `text`.
    public init(code: Int, text: String) {
        self.code = code
        self.text = text
    }

    /// `error <code>: <text>`.
    public var description: String { "error \(code): \(text)" }
}

extension ErrorMessage {
    /// Copies a decoded C error into Swift.
    init(proto: UnsafePointer<Plexus__Error>) {
        self.init(code: Int(proto.pointee.code), text: ProtoCodec.string(proto.pointee.text))
    }

    /// Builds the C error in `arena`.
    func proto(in arena: ProtoArena) -> UnsafeMutablePointer<Plexus__Error> {
        let message: UnsafeMutablePointer<Plexus__Error> = arena.message { plexus__error__init($0) }
        message.pointee.code = ProtoCodec.u32(code)
        message.pointee.text = arena.string(text)
        return message
    }
}
