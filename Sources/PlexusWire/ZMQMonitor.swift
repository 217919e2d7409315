import CZeroMQ
import Synchronization

/// Process-wide serial for unique monitor endpoints.
private let monitorSerial = Atomic<Int>(0)

/// Watches a socket's connection events (`zmq_socket_monitor`): connects, disconnects, accepted
/// connections, handshake successes and failures — including CURVE authentication refusals
/// (``ZMQMonitorEvent/Kind-swift.struct/handshakeFailedAuth``) and the protocol failures a wrong
/// server key or a plaintext peer cause (``ZMQMonitorEvent/Kind-swift.struct/handshakeFailedProtocol``).
///
/// libzmq publishes the events on an `inproc://` PAIR endpoint; the monitor owns the PAIR socket
/// that reads them. Create the monitor on the thread that owns the watched socket (libzmq sets the
/// monitor up through that socket), before bind or connect so that no event is missed. The events can
/// then be read by one thread — usually the same one, e.g. by adding ``socket`` to a ``ZMQPoller``.
/// The monitor does not keep the watched socket alive; closing that socket ends the monitoring.
public final class ZMQMonitor: @unchecked Sendable {
    // @unchecked: like ZMQSocket, owned by one thread at a time; may be handed over once.

    /// The `inproc://` endpoint libzmq publishes events on.
    public let endpoint: String
    /// The PAIR socket that receives the events (poll it for readability).
    public let socket: ZMQSocket
    private weak var watched: ZMQSocket?

    /// Starts monitoring `watched` for `events`.
    public init(watching watched: ZMQSocket, events: ZMQMonitorEvent.Kind = .all) throws(ZMQError) {
        let serial = monitorSerial.add(1, ordering: .relaxed).newValue
        let endpoint = "inproc://plexus.monitor.\(serial)"
        let handle = try watched.openHandle("zmq_socket_monitor \(endpoint)")
        if zmq_socket_monitor(handle, endpoint, Int32(bitPattern: events.rawValue)) != 0 {
            throw ZMQError.last("zmq_socket_monitor \(endpoint)")
        }
        do {
            let pair = try ZMQSocket(context: watched.context, kind: .pair)
            try pair.connect(endpoint)
            self.socket = pair
        } catch {
            _ = zmq_socket_monitor(handle, nil, 0)
            throw error
        }
        self.endpoint = endpoint
        self.watched = watched
    }

    /// Stops monitoring (on the watched socket's owning thread). Events already queued can still be
    /// read. Idempotent; a no-op once the watched socket is gone.
    public func stop() {
        if let handle = watched?.handle {
            _ = zmq_socket_monitor(handle, nil, 0)
        }
    }

    /// The next event, waiting up to `timeoutMilliseconds` (-1 for ever); nil if none came.
    public func next(timeoutMilliseconds: Int32) throws(ZMQError) -> ZMQMonitorEvent? {
        guard let frames = try socket.receive(timeoutMilliseconds: timeoutMilliseconds) else { return nil }
        return ZMQMonitor.decode(frames)
    }

    /// The first event of one of `kinds`, skipping others, waiting up to `timeoutMilliseconds` in
    /// all; nil if none came in time.
    public func wait(for kinds: ZMQMonitorEvent.Kind, timeoutMilliseconds: Int32) throws(ZMQError) -> ZMQMonitorEvent? {
        let deadline = ZMQDeadline(timeoutMilliseconds: timeoutMilliseconds)
        while true {
            let left = Int32(clamping: deadline.remainingMilliseconds)
            guard let event = try next(timeoutMilliseconds: left) else { return nil }
            if !event.kind.isDisjoint(with: kinds) { return event }
            if deadline.hasPassed { return nil }
        }
    }

    /// All events queued now, without waiting.
    public func drain() throws(ZMQError) -> [ZMQMonitorEvent] {
        var events: [ZMQMonitorEvent] = []
        while let event = try next(timeoutMilliseconds: 0) {
            events.append(event)
        }
        return events
    }

    /// Decodes libzmq's two-frame event: (u16 event, u32 value) in host byte order, then the
    /// endpoint. Returns nil for anything else.
    static func decode(_ frames: [[UInt8]]) -> ZMQMonitorEvent? {
        guard frames.count >= 2, frames[0].count >= 6 else { return nil }
        let head = frames[0]
        var kind: UInt16 = 0
        var value: UInt32 = 0
        withUnsafeMutableBytes(of: &kind) { $0.copyBytes(from: head[0..<2]) }
        withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: head[2..<6]) }
        return ZMQMonitorEvent(
            kind: ZMQMonitorEvent.Kind(rawValue: UInt32(kind)),
            value: value,
            endpoint: String(decoding: frames[1], as: UTF8.self))
    }
}
