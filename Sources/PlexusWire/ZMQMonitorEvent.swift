import CZeroMQ

/// One event reported by a socket monitor (`zmq_socket_monitor`): what happened, its value, and the
/// endpoint concerned.
public struct ZMQMonitorEvent: Sendable, Hashable, CustomStringConvertible {
    /// Event kinds (`ZMQ_EVENT_*`); as a set, the events a ``ZMQMonitor`` subscribes to.
    public struct Kind: OptionSet, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// A connect completed (value: the file descriptor).
        public static let connected = Kind(rawValue: UInt32(ZMQ_EVENT_CONNECTED))
        /// A connect is in progress (value: errno).
        public static let connectDelayed = Kind(rawValue: UInt32(ZMQ_EVENT_CONNECT_DELAYED))
        /// A reconnect is scheduled (value: the interval in milliseconds).
        public static let connectRetried = Kind(rawValue: UInt32(ZMQ_EVENT_CONNECT_RETRIED))
        /// A bind succeeded (value: the file descriptor).
        public static let listening = Kind(rawValue: UInt32(ZMQ_EVENT_LISTENING))
        /// A bind failed (value: errno).
        public static let bindFailed = Kind(rawValue: UInt32(ZMQ_EVENT_BIND_FAILED))
        /// A connection was accepted (value: the file descriptor).
        public static let accepted = Kind(rawValue: UInt32(ZMQ_EVENT_ACCEPTED))
        /// Accepting a connection failed (value: errno).
        public static let acceptFailed = Kind(rawValue: UInt32(ZMQ_EVENT_ACCEPT_FAILED))
        /// A connection was closed (value: the file descriptor).
        public static let closed = Kind(rawValue: UInt32(ZMQ_EVENT_CLOSED))
        /// Closing a connection failed (value: errno).
        public static let closeFailed = Kind(rawValue: UInt32(ZMQ_EVENT_CLOSE_FAILED))
        /// A session was broken, by the peer or by libzmq (for example an oversized message,
        /// `ZMQ_MAXMSGSIZE`) (value: the file descriptor).
        public static let disconnected = Kind(rawValue: UInt32(ZMQ_EVENT_DISCONNECTED))
        /// The monitor was stopped.
        public static let monitorStopped = Kind(rawValue: UInt32(ZMQ_EVENT_MONITOR_STOPPED))
        /// A handshake failed for an unspecified reason (value: errno).
        public static let handshakeFailedNoDetail = Kind(rawValue: UInt32(ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL))
        /// The ZMTP handshake, including any CURVE authentication, succeeded.
        public static let handshakeSucceeded = Kind(rawValue: UInt32(ZMQ_EVENT_HANDSHAKE_SUCCEEDED))
        /// The handshake failed on a protocol error: a mechanism mismatch (a plaintext peer against a
        /// CURVE server), a CURVE box that does not open (the client used the wrong server key), …
        /// (value: a `ZMQ_PROTOCOL_ERROR_*` code).
        public static let handshakeFailedProtocol = Kind(rawValue: UInt32(ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL))
        /// Authentication was refused by the ZAP handler (value: its status code, e.g. 400).
        public static let handshakeFailedAuth = Kind(rawValue: UInt32(ZMQ_EVENT_HANDSHAKE_FAILED_AUTH))

        /// Every handshake failure.
        public static let handshakeFailures: Kind = [.handshakeFailedNoDetail, .handshakeFailedProtocol, .handshakeFailedAuth]
        /// All events of libzmq's first monitor protocol (`ZMQ_EVENT_ALL`).
        public static let all = Kind(rawValue: UInt32(ZMQ_EVENT_ALL))

        private static let names: [(Kind, String)] = [
            (.connected, "connected"), (.connectDelayed, "connect-delayed"),
            (.connectRetried, "connect-retried"), (.listening, "listening"), (.bindFailed, "bind-failed"),
            (.accepted, "accepted"), (.acceptFailed, "accept-failed"), (.closed, "closed"),
            (.closeFailed, "close-failed"), (.disconnected, "disconnected"),
            (.monitorStopped, "monitor-stopped"), (.handshakeFailedNoDetail, "handshake-failed"),
            (.handshakeSucceeded, "handshake-succeeded"),
            (.handshakeFailedProtocol, "handshake-failed-protocol"),
            (.handshakeFailedAuth, "handshake-failed-auth"),
        ]

        /// The event names, e.g. `handshake-failed-auth`, joined by `|`.
        public var description: String {
            let parts = Kind.names.filter { contains($0.0) }.map(\.1)
            let known = Kind.names.reduce(Kind()) { $0.union($1.0) }
            let unknown = subtracting(known)
            let all = unknown.isEmpty ? parts : parts + ["0x" + String(unknown.rawValue, radix: 16)]
            return all.isEmpty ? "none" : all.joined(separator: "|")
        }
    }

    /// What happened.
    public let kind: Kind
    /// The event's value: a file descriptor, an errno, an interval, a protocol error code or a ZAP
    /// status, depending on ``kind``.
    public let value: UInt32
    /// The endpoint concerned, e.g. `tcp://127.0.0.1:41237`.
    public let endpoint: String

    /// An event.
    public init(kind: Kind, value: UInt32, endpoint: String) {
        self.kind = kind
        self.value = value
        self.endpoint = endpoint
    }

    /// E.g. `handshake-failed-auth(400) tcp://127.0.0.1:41237`.
    public var description: String { "\(kind)(\(value)) \(endpoint)" }
}
