import CZeroMQ

/// A typed libzmq socket option: the option number, its name for error text, and — through the
/// generic parameter — the Swift type its value has. Used with `ZMQSocket.set(_:_:)` and
/// `ZMQSocket.get(_:)`:
///
/// ```swift
/// try socket.set(.linger, 0)
/// try socket.set(.maxMessageSize, 64 << 20)
/// try socket.set(.routingID, Array("worker-3".utf8))
/// let endpoint = try socket.get(.lastEndpoint)
/// ```
///
/// Value types: `Int32` for libzmq `int` options, `Bool` for `int` flags, `Int64` for `int64_t`
/// options, `[UInt8]` for binary options and `String` for text options (`ZMQ_LAST_ENDPOINT`,
/// `ZMQ_ZAP_DOMAIN` and the CURVE keys, which are read and written as 40-character Z85 text).
public struct ZMQSocketOption<Value>: Sendable, Hashable, CustomStringConvertible {
    /// The libzmq option number (`ZMQ_LINGER`, …).
    public let rawValue: Int32
    /// The libzmq name, used in error text.
    public let name: String
    /// For `String` options: the buffer size to read with, and whether a trailing NUL is passed
    /// when setting (libzmq wants one for Z85 keys, none for domains).
    let textCapacity: Int
    let setWithTerminator: Bool

    /// An option by number; `name` is used in error messages.
    public init(rawValue: Int32, name: String) {
        self.init(rawValue, name)
    }

    init(_ rawValue: Int32, _ name: String, textCapacity: Int = 256, setWithTerminator: Bool = false) {
        self.rawValue = rawValue
        self.name = name
        self.textCapacity = textCapacity
        self.setWithTerminator = setWithTerminator
    }

    /// The libzmq name.
    public var description: String { name }
}

extension ZMQSocketOption where Value == Int32 {
    /// `ZMQ_LINGER`: milliseconds to keep unsent messages after close (0 none, -1 for ever).
    public static var linger: Self { .init(ZMQ_LINGER, "ZMQ_LINGER") }
    /// `ZMQ_SNDHWM`: outbound high-water mark, in messages per peer (0 unlimited).
    public static var sendHighWaterMark: Self { .init(ZMQ_SNDHWM, "ZMQ_SNDHWM") }
    /// `ZMQ_RCVHWM`: inbound high-water mark, in messages per peer (0 unlimited).
    public static var receiveHighWaterMark: Self { .init(ZMQ_RCVHWM, "ZMQ_RCVHWM") }
    /// `ZMQ_SNDTIMEO`: milliseconds a blocking send waits before `EAGAIN` (-1 for ever).
    public static var sendTimeout: Self { .init(ZMQ_SNDTIMEO, "ZMQ_SNDTIMEO") }
    /// `ZMQ_RCVTIMEO`: milliseconds a blocking receive waits before `EAGAIN` (-1 for ever).
    public static var receiveTimeout: Self { .init(ZMQ_RCVTIMEO, "ZMQ_RCVTIMEO") }
    /// `ZMQ_RECONNECT_IVL`: milliseconds before reconnecting a dropped connection (-1 never).
    public static var reconnectInterval: Self { .init(ZMQ_RECONNECT_IVL, "ZMQ_RECONNECT_IVL") }
    /// `ZMQ_RECONNECT_IVL_MAX`: upper bound of the exponential reconnect back-off (0: no back-off).
    public static var reconnectIntervalMax: Self { .init(ZMQ_RECONNECT_IVL_MAX, "ZMQ_RECONNECT_IVL_MAX") }
    /// `ZMQ_HANDSHAKE_IVL`: milliseconds a new connection may take to complete the ZMTP (and CURVE)
    /// handshake before it is dropped (0: no limit).
    public static var handshakeInterval: Self { .init(ZMQ_HANDSHAKE_IVL, "ZMQ_HANDSHAKE_IVL") }
    /// `ZMQ_CONNECT_TIMEOUT`: milliseconds a TCP connect may take (0: the OS's own limit).
    public static var connectTimeout: Self { .init(ZMQ_CONNECT_TIMEOUT, "ZMQ_CONNECT_TIMEOUT") }
    /// `ZMQ_TCP_KEEPALIVE`: -1 the OS default, 0 off, 1 on.
    public static var tcpKeepAlive: Self { .init(ZMQ_TCP_KEEPALIVE, "ZMQ_TCP_KEEPALIVE") }
    /// `ZMQ_TCP_KEEPALIVE_IDLE`: seconds idle before keep-alive probes (-1 the OS default).
    public static var tcpKeepAliveIdle: Self { .init(ZMQ_TCP_KEEPALIVE_IDLE, "ZMQ_TCP_KEEPALIVE_IDLE") }
    /// `ZMQ_TCP_KEEPALIVE_INTVL`: seconds between keep-alive probes (-1 the OS default).
    public static var tcpKeepAliveInterval: Self { .init(ZMQ_TCP_KEEPALIVE_INTVL, "ZMQ_TCP_KEEPALIVE_INTVL") }
    /// `ZMQ_TCP_KEEPALIVE_CNT`: unanswered probes before the connection is dropped (-1 the OS default).
    public static var tcpKeepAliveCount: Self { .init(ZMQ_TCP_KEEPALIVE_CNT, "ZMQ_TCP_KEEPALIVE_CNT") }
    /// `ZMQ_HEARTBEAT_IVL`: milliseconds between ZMTP PINGs (0 off).
    public static var heartbeatInterval: Self { .init(ZMQ_HEARTBEAT_IVL, "ZMQ_HEARTBEAT_IVL") }
    /// `ZMQ_HEARTBEAT_TIMEOUT`: milliseconds without traffic after a PING before disconnecting.
    public static var heartbeatTimeout: Self { .init(ZMQ_HEARTBEAT_TIMEOUT, "ZMQ_HEARTBEAT_TIMEOUT") }
    /// `ZMQ_SNDBUF`: kernel send buffer in bytes (-1 the OS default).
    public static var sendBufferSize: Self { .init(ZMQ_SNDBUF, "ZMQ_SNDBUF") }
    /// `ZMQ_RCVBUF`: kernel receive buffer in bytes (-1 the OS default).
    public static var receiveBufferSize: Self { .init(ZMQ_RCVBUF, "ZMQ_RCVBUF") }
    /// `ZMQ_MECHANISM` (read-only): `ZMQ_NULL` 0, `ZMQ_PLAIN` 1, `ZMQ_CURVE` 2.
    public static var mechanism: Self { .init(ZMQ_MECHANISM, "ZMQ_MECHANISM") }
    /// `ZMQ_EVENTS` (read-only): `ZMQ_POLLIN` / `ZMQ_POLLOUT` bits ready now.
    public static var events: Self { .init(ZMQ_EVENTS, "ZMQ_EVENTS") }
    /// `ZMQ_TYPE` (read-only): the socket type number.
    public static var socketType: Self { .init(ZMQ_TYPE, "ZMQ_TYPE") }
}

extension ZMQSocketOption where Value == Bool {
    /// `ZMQ_ROUTER_MANDATORY`: a ROUTER fails a send to an unknown identity with `EHOSTUNREACH`
    /// (and with `EAGAIN` at the high-water mark) instead of dropping it silently.
    public static var routerMandatory: Self { .init(ZMQ_ROUTER_MANDATORY, "ZMQ_ROUTER_MANDATORY") }
    /// `ZMQ_ROUTER_HANDOVER`: a new peer with an identity already in use takes it over.
    public static var routerHandover: Self { .init(ZMQ_ROUTER_HANDOVER, "ZMQ_ROUTER_HANDOVER") }
    /// `ZMQ_IMMEDIATE`: queue messages only to completed connections (a DEALER then blocks, or
    /// fails with `EAGAIN`, instead of queueing for a peer that is not there yet).
    public static var immediate: Self { .init(ZMQ_IMMEDIATE, "ZMQ_IMMEDIATE") }
    /// `ZMQ_CURVE_SERVER`: act as CURVE server (needs ``curveSecretKey``).
    public static var curveServer: Self { .init(ZMQ_CURVE_SERVER, "ZMQ_CURVE_SERVER") }
    /// `ZMQ_ZAP_ENFORCE_DOMAIN` (93; a draft option in libzmq 4.3's header, accepted by its
    /// library): refuse connections when no ZAP handler is bound, instead of admitting them.
    public static var zapEnforceDomain: Self { .init(93, "ZMQ_ZAP_ENFORCE_DOMAIN") }
    /// `ZMQ_IPV6`: allow IPv6 on TCP endpoints.
    public static var ipv6: Self { .init(ZMQ_IPV6, "ZMQ_IPV6") }
    /// `ZMQ_RCVMORE` (read-only): more frames of the current message follow.
    public static var receiveMore: Self { .init(ZMQ_RCVMORE, "ZMQ_RCVMORE") }
}

extension ZMQSocketOption where Value == Int64 {
    /// `ZMQ_MAXMSGSIZE`: the largest inbound message, in bytes, a peer may send (-1 unlimited).
    /// A peer that sends a larger one is disconnected and the message discarded.
    public static var maxMessageSize: Self { .init(ZMQ_MAXMSGSIZE, "ZMQ_MAXMSGSIZE") }
}

extension ZMQSocketOption where Value == [UInt8] {
    /// `ZMQ_ROUTING_ID`: this socket's identity as seen by a ROUTER peer (1–255 bytes, not starting
    /// with a zero byte). Set it before connecting.
    public static var routingID: Self { .init(ZMQ_ROUTING_ID, "ZMQ_ROUTING_ID") }
    /// `ZMQ_CONNECT_ROUTING_ID`: the identity a ROUTER or STREAM socket assigns to the peer of its
    /// next `connect`.
    public static var connectRoutingID: Self { .init(ZMQ_CONNECT_ROUTING_ID, "ZMQ_CONNECT_ROUTING_ID") }
    /// `ZMQ_SUBSCRIBE`: a SUB socket's topic prefix (write-only).
    public static var subscribe: Self { .init(ZMQ_SUBSCRIBE, "ZMQ_SUBSCRIBE") }
}

extension ZMQSocketOption where Value == String {
    /// `ZMQ_LAST_ENDPOINT` (read-only): the endpoint last bound or connected, port resolved.
    public static var lastEndpoint: Self { .init(ZMQ_LAST_ENDPOINT, "ZMQ_LAST_ENDPOINT", textCapacity: 1024) }
    /// `ZMQ_ZAP_DOMAIN`: the ZAP domain passed to the authentication handler.
    public static var zapDomain: Self { .init(ZMQ_ZAP_DOMAIN, "ZMQ_ZAP_DOMAIN", textCapacity: 256) }
    /// `ZMQ_CURVE_PUBLICKEY`: this socket's long-term public key, Z85.
    public static var curvePublicKey: Self {
        .init(ZMQ_CURVE_PUBLICKEY, "ZMQ_CURVE_PUBLICKEY", textCapacity: 41, setWithTerminator: true)
    }
    /// `ZMQ_CURVE_SECRETKEY`: this socket's long-term secret key, Z85.
    public static var curveSecretKey: Self {
        .init(ZMQ_CURVE_SECRETKEY, "ZMQ_CURVE_SECRETKEY", textCapacity: 41, setWithTerminator: true)
    }
    /// `ZMQ_CURVE_SERVERKEY`: a CURVE client's view of the server's public key, Z85.
    public static var curveServerKey: Self {
        .init(ZMQ_CURVE_SERVERKEY, "ZMQ_CURVE_SERVERKEY", textCapacity: 41, setWithTerminator: true)
    }
}
