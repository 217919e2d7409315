import CZeroMQ
#if canImport(Glibc)
import Glibc
#endif

/// A libzmq socket (`zmq_socket`), closed in `deinit` (or earlier by ``close()``).
///
/// **Threading.** libzmq sockets are not thread-safe: exactly one thread owns a socket and makes
/// every call on it — options, bind/connect, send, receive, monitor set-up, close. The class is
/// `@unchecked Sendable` only so that a socket made and configured on one thread can be *handed over
/// once* to the thread that will own it from then on (as the ZAP handler does with its REP socket);
/// libzmq allows this migration provided a full memory barrier separates the two threads' use, which
/// starting or joining a thread provides. Never use one socket from two threads at once.
///
/// **Defaults.** The constructor sets `ZMQ_LINGER` (0 unless told otherwise, so closing never waits
/// for unsent messages and processes exit promptly); set high-water marks, `ZMQ_MAXMSGSIZE` and the
/// rest explicitly with `set(_:_:)` and the typed options of
/// ``ZMQSocketOption``.
public final class ZMQSocket: @unchecked Sendable {
    // @unchecked: see the threading note above — single owner, one-time hand-over only.

    /// The socket types this wrapper knows (`ZMQ_ROUTER`, `ZMQ_DEALER`, …).
    public enum Kind: Int32, Sendable, CaseIterable, CustomStringConvertible {
        case pair = 0
        case publisher = 1
        case subscriber = 2
        case request = 3
        case reply = 4
        case dealer = 5
        case router = 6
        case pull = 7
        case push = 8
        case stream = 11

        /// libzmq's name, e.g. `ROUTER`.
        public var description: String {
            switch self {
            case .pair: "PAIR"
            case .publisher: "PUB"
            case .subscriber: "SUB"
            case .request: "REQ"
            case .reply: "REP"
            case .dealer: "DEALER"
            case .router: "ROUTER"
            case .pull: "PULL"
            case .push: "PUSH"
            case .stream: "STREAM"
            }
        }
    }

    /// The socket type.
    public let kind: Kind
    /// The context the socket belongs to; kept alive for as long as the socket exists.
    public let context: ZMQContext
    /// The libzmq socket, nil once closed.
    private(set) var handle: UnsafeMutableRawPointer?

    /// A new socket of `kind` in `context`, with `ZMQ_LINGER` set to `lingerMilliseconds`
    /// (0: unsent messages are dropped at close; -1: wait for ever, libzmq's own default).
    public init(context: ZMQContext, kind: Kind, lingerMilliseconds: Int32 = 0) throws(ZMQError) {
        guard let socket = zmq_socket(context.handle, kind.rawValue) else {
            throw ZMQError.last("zmq_socket \(kind)")
        }
        self.kind = kind
        self.context = context
        self.handle = socket
        try set(.linger, lingerMilliseconds)
    }

    deinit {
        close()
    }

    /// Closes the socket now (`zmq_close`); later calls on it fail with `ENOTSOCK`. Idempotent.
    public func close() {
        if let socket = handle {
            zmq_close(socket)
            handle = nil
        }
    }

    /// Whether ``close()`` has not yet been called.
    public var isOpen: Bool { handle != nil }

    /// The open libzmq socket, or `ENOTSOCK` for `operation`.
    func openHandle(_ operation: @autoclosure () -> String) throws(ZMQError) -> UnsafeMutableRawPointer {
        guard let socket = handle else {
            throw ZMQError(code: ENOTSOCK, operation: operation())
        }
        return socket
    }

    /// Binds to `endpoint` (`tcp://127.0.0.1:*` picks a free port; read it back with
    /// ``lastEndpoint()``).
    public func bind(_ endpoint: String) throws(ZMQError) {
        let socket = try openHandle("zmq_bind \(endpoint)")
        if zmq_bind(socket, endpoint) != 0 {
            throw ZMQError.last("zmq_bind \(endpoint)")
        }
    }

    /// Stops listening on `endpoint` (as given to ``bind(_:)``, or as returned by ``lastEndpoint()``).
    public func unbind(_ endpoint: String) throws(ZMQError) {
        let socket = try openHandle("zmq_unbind \(endpoint)")
        if zmq_unbind(socket, endpoint) != 0 {
            throw ZMQError.last("zmq_unbind \(endpoint)")
        }
    }

    /// Connects to `endpoint`. Connection is asynchronous: this succeeds before any peer answers, and
    /// libzmq keeps reconnecting (see ``ZMQSocketOption/reconnectInterval``); observe progress with a
    /// ``ZMQMonitor``.
    public func connect(_ endpoint: String) throws(ZMQError) {
        let socket = try openHandle("zmq_connect \(endpoint)")
        if zmq_connect(socket, endpoint) != 0 {
            throw ZMQError.last("zmq_connect \(endpoint)")
        }
    }

    /// Drops the connection made by ``connect(_:)`` to `endpoint`.
    public func disconnect(_ endpoint: String) throws(ZMQError) {
        let socket = try openHandle("zmq_disconnect \(endpoint)")
        if zmq_disconnect(socket, endpoint) != 0 {
            throw ZMQError.last("zmq_disconnect \(endpoint)")
        }
    }

    /// The endpoint last bound or connected (`ZMQ_LAST_ENDPOINT`), with a wildcard port resolved,
    /// e.g. `tcp://127.0.0.1:41237`.
    public func lastEndpoint() throws(ZMQError) -> String {
        try get(.lastEndpoint)
    }
}
