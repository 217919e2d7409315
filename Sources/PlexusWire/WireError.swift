#if canImport(Glibc)
import Glibc
#endif

/// Everything that can go wrong turning Plexus values into protobuf bytes and back, or reading and
/// writing checkpoint and probe files. Each case's `description` is one readable line.
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Bytes that do not parse as the expected protobuf message, or that parse but leave out
    /// something the message cannot do without (`detail` says what).
    case malformed(String)
    /// An envelope whose body is a message type this build does not know (the protobuf field
    /// number of the body), typically from a newer peer.
    case unknownMessageType(Int)
    /// A message larger than the bound the receiver set.
    case messageTooLarge(size: Int, limit: Int)
    /// A tensor whose data does not match its shape and dtype (or a buffer of the wrong size).
    case tensorSizeMismatch(tensor: String, detail: String)
    /// A tensor shape with a negative dimension, or whose element count overflows.
    case invalidShape(tensor: String, shape: [Int])
    /// A NaN or infinity in a tensor, at flat (row-major) element `index`.
    case nonFinite(tensor: String, index: Int)
    /// A field whose value this build does not accept (an unknown rule name, an unsupported dtype
    /// for a conversion, …).
    case invalidValue(String)
    /// A checkpoint written in a format version this build does not read.
    case unsupportedFormatVersion(found: Int, supported: Int)
    /// A failed system call on a file: `action` is what was being done ("cannot open checkpoint"),
    /// `code` the `errno` value.
    case io(action: String, path: String, code: Int32)
    /// A file that exists but is not a usable file of its `kind` ("checkpoint", "probe result");
    /// `problem` completes the sentence "<kind> <path> …".
    case invalidFile(kind: String, path: String, problem: String)
    /// A checkpoint tensor whose shape does not fit the model it is loaded into.
    case shapeMismatch(String)

    /// One readable line.
    public var description: String {
        switch self {
        case .malformed(let detail):
            return "malformed message: \(detail)"
        case .unknownMessageType(let field):
            return "unknown message type (envelope field \(field)); the peer may run a newer plexus"
        case .messageTooLarge(let size, let limit):
            return "message of \(size) bytes exceeds the limit of \(limit) bytes"
        case .tensorSizeMismatch(let tensor, let detail):
            return "tensor size mismatch in \(tensor): \(detail)"
        case .invalidShape(let tensor, let shape):
            return "tensor \(tensor) has an invalid shape \(shape) (negative dimension or too many elements)"
        case .nonFinite(let tensor, let index):
            return "non-finite value in tensor \(tensor) at index \(index)"
        case .invalidValue(let text):
            return text
        case .unsupportedFormatVersion(let found, let supported):
            return "format version \(found) is not supported; this plexus reads version \(supported)"
        case .io(let action, let path, let code):
            return "\(action) \(path): \(WireError.systemMessage(code))"
        case .invalidFile(let kind, let path, let problem):
            return "\(kind) \(path) \(problem)"
        case .shapeMismatch(let text):
            return text
        }
    }

    /// The C library's text for an `errno` value.
    static func systemMessage(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
