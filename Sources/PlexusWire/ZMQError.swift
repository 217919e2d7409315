import CZeroMQ
#if canImport(Glibc)
import Glibc
#endif

/// A failed libzmq call: the `errno` value libzmq reported, its `zmq_strerror` text, and the
/// operation that failed, e.g. `zmq_bind tcp://127.0.0.1:5555: Address already in use`.
///
/// libzmq reports its own conditions (`ETERM`, `EFSM`, `EMTHREAD`, …) through `errno` as well, so
/// ``code`` may hold a value outside the system's errno range; ``message`` always has readable text.
/// The common cases a caller branches on have their own properties: ``isWouldBlock`` (no message
/// ready, a non-blocking send or a send timeout), ``isInterrupted`` (`EINTR`, a signal arrived during
/// a blocking call — the wrappers retry these themselves except where noted),
/// ``isContextTerminated`` (`ETERM`, the context was shut down) and ``isHostUnreachable``
/// (`EHOSTUNREACH`, a ROUTER with `ZMQ_ROUTER_MANDATORY` addressed an unknown peer).
public struct ZMQError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `errno` value (a system errno or one of libzmq's own codes).
    public let code: Int32
    /// What was being done, e.g. `zmq_bind tcp://127.0.0.1:*` or `zmq_setsockopt ZMQ_LINGER`.
    public let operation: String
    /// `zmq_strerror(code)`.
    public let message: String

    /// An error for `code` raised by `operation`; the text comes from `zmq_strerror`.
    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
        if let text = zmq_strerror(code) {
            self.message = String(cString: text)
        } else {
            self.message = "error \(code)"
        }
    }

    /// The error libzmq left in `zmq_errno()` after `operation` failed.
    static func last(_ operation: @autoclosure () -> String) -> ZMQError {
        let code = zmq_errno()
        return ZMQError(code: code, operation: operation())
    }

    /// `operation: message`.
    public var description: String { "\(operation): \(message)" }

    /// `EAGAIN`: nothing to receive, or a send would block (high-water mark, no peer, send timeout).
    public var isWouldBlock: Bool { code == EAGAIN }
    /// `EINTR`: a signal interrupted a blocking call.
    public var isInterrupted: Bool { code == EINTR }
    /// `ETERM`: the socket's context was shut down or terminated; close the socket.
    public var isContextTerminated: Bool { code == ZMQError.contextTerminatedCode }
    /// `EHOSTUNREACH`: a ROUTER with `ZMQ_ROUTER_MANDATORY` cannot route to that identity.
    public var isHostUnreachable: Bool { code == EHOSTUNREACH }

    /// libzmq's `ETERM` (`ZMQ_HAUSNUMERO + 53`).
    public static let contextTerminatedCode: Int32 = ETERM
}
