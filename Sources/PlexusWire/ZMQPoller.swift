import CZeroMQ

/// Waits on several sockets at once (`zmq_poll`). Owned, like its sockets, by one thread.
///
/// ```swift
/// var poller = ZMQPoller()
/// let front = poller.add(router)
/// let control = poller.add(pipe)
/// let ready = try poller.poll(timeoutMilliseconds: 100)
/// if ready[front].contains(.readable) { … }
/// ```
public struct ZMQPoller {
    /// Readiness conditions (`ZMQ_POLLIN`, `ZMQ_POLLOUT`).
    public struct Events: OptionSet, Sendable, Hashable {
        public let rawValue: Int16
        public init(rawValue: Int16) { self.rawValue = rawValue }
        /// At least one whole message can be received.
        public static let readable = Events(rawValue: Int16(ZMQ_POLLIN))
        /// At least one message can be sent without blocking.
        public static let writable = Events(rawValue: Int16(ZMQ_POLLOUT))
    }

    /// The sockets polled, in the order added.
    public private(set) var sockets: [ZMQSocket] = []
    private var interests: [Events] = []

    /// An empty poller.
    public init() {}

    /// Adds `socket`, to be polled for `events`; returns its index in ``poll(timeoutMilliseconds:)``'s
    /// result.
    @discardableResult
    public mutating func add(_ socket: ZMQSocket, events: Events = .readable) -> Int {
        sockets.append(socket)
        interests.append(events)
        return sockets.count - 1
    }

    /// Waits up to `timeoutMilliseconds` (-1 for ever) until at least one socket is ready, and
    /// returns, per socket in the order added, the conditions that hold (empty when none; all empty
    /// when the time ran out). Interrupted waits are resumed with the time left.
    public func poll(timeoutMilliseconds: Int32) throws(ZMQError) -> [Events] {
        var items: [zmq_pollitem_t] = []
        items.reserveCapacity(sockets.count)
        for (socket, events) in zip(sockets, interests) {
            let handle = try socket.openHandle("zmq_poll")
            items.append(zmq_pollitem_t(socket: handle, fd: -1, events: events.rawValue, revents: 0))
        }
        let deadline = ZMQDeadline(timeoutMilliseconds: timeoutMilliseconds)
        while true {
            let ready = zmq_poll(&items, Int32(items.count), deadline.remainingMilliseconds)
            if ready >= 0 { break }
            let error = ZMQError.last("zmq_poll (\(items.count) sockets)")
            if error.isInterrupted { continue }
            throw error
        }
        return items.map { Events(rawValue: $0.revents) }
    }
}
