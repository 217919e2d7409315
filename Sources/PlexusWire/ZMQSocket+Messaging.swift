import CZeroMQ
#if canImport(Glibc)
import Glibc
#endif

/// Multipart send and receive. A message is a list of frames (`[[UInt8]]`); libzmq delivers a
/// multipart message whole or not at all. A ROUTER receives the sender's routing id as the first
/// frame and routes a send by its first frame; a DEALER sends and receives the frames as they are.
extension ZMQSocket {
    /// Sends `frames` as one multipart message.
    ///
    /// With `dontWait` a send that cannot be queued at once (high-water mark reached, no peer yet, or
    /// an unroutable identity without `ZMQ_ROUTER_MANDATORY`… see libzmq) fails with `EAGAIN`
    /// (``ZMQError/isWouldBlock``) and nothing is sent: libzmq decides on the first frame, and once it
    /// is accepted the remaining frames are accepted with it. Without `dontWait` the call blocks
    /// (bounded by ``ZMQSocketOption/sendTimeout`` if set); interrupted waits are resumed.
    /// A ROUTER with `ZMQ_ROUTER_MANDATORY` fails with `EHOSTUNREACH` for an unknown identity.
    public func send(_ frames: [[UInt8]], dontWait: Bool = false) throws(ZMQError) {
        guard !frames.isEmpty else {
            throw ZMQError(code: EINVAL, operation: "zmq_send: a message needs at least one frame")
        }
        let last = frames.count - 1
        for index in frames.indices {
            try send(frames[index], more: index < last, dontWait: dontWait)
        }
    }

    /// Sends one frame; `more` marks that further frames of the same message follow.
    public func send(_ frame: [UInt8], more: Bool = false, dontWait: Bool = false) throws(ZMQError) {
        let result: Result<Void, ZMQError> = frame.withUnsafeBytes { bytes in
            do throws(ZMQError) {
                try send(bytes: bytes, more: more, dontWait: dontWait)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Sends one frame from raw memory, copied by libzmq before the call returns (`zmq_send`).
    public func send(bytes: UnsafeRawBufferPointer, more: Bool = false, dontWait: Bool = false) throws(ZMQError) {
        let socket = try openHandle("zmq_send")
        var flags: Int32 = 0
        if more { flags |= ZMQ_SNDMORE }
        if dontWait { flags |= ZMQ_DONTWAIT }
        while zmq_send(socket, bytes.baseAddress, bytes.count, flags) < 0 {
            let error = ZMQError.last("zmq_send (\(bytes.count) bytes)")
            if error.isInterrupted && !dontWait { continue }
            throw error
        }
    }

    /// Receives one multipart message, waiting up to `timeoutMilliseconds` (-1: for ever, 0: not at
    /// all) for it. Returns nil when none arrived in time. Interrupted waits (`EINTR`) are resumed
    /// with the time left; a shut-down context fails with `ETERM` (``ZMQError/isContextTerminated``).
    public func receive(timeoutMilliseconds: Int32 = -1) throws(ZMQError) -> [[UInt8]]? {
        let socket = try openHandle("zmq_msg_recv")
        let deadline = ZMQDeadline(timeoutMilliseconds: timeoutMilliseconds)
        while true {
            guard try waitForInput(socket, deadline: deadline) else { return nil }
            // Readiness can be spurious (libzmq's ZMQ_EVENTS is edge-like); then wait again.
            guard let first = try receiveFrame(socket, flags: ZMQ_DONTWAIT) else {
                if deadline.hasPassed { return nil }
                continue
            }
            var frames = [first.bytes]
            var more = first.more
            while more {
                // The remaining frames of a message arrive together with the first.
                guard let next = try receiveFrame(socket, flags: 0) else { break }
                frames.append(next.bytes)
                more = next.more
            }
            return frames
        }
    }

    /// Waits for the socket to become readable; false when the deadline passed first.
    private func waitForInput(_ socket: UnsafeMutableRawPointer, deadline: ZMQDeadline) throws(ZMQError) -> Bool {
        var item = zmq_pollitem_t(socket: socket, fd: -1, events: Int16(ZMQ_POLLIN), revents: 0)
        while true {
            let ready = zmq_poll(&item, 1, deadline.remainingMilliseconds)
            if ready > 0 { return true }
            if ready == 0 { return false }
            let error = ZMQError.last("zmq_poll")
            if error.isInterrupted { continue }
            throw error
        }
    }

    /// One frame, or nil for `EAGAIN`. Interrupted blocking receives are retried.
    private func receiveFrame(
        _ socket: UnsafeMutableRawPointer, flags: Int32
    ) throws(ZMQError) -> (bytes: [UInt8], more: Bool)? {
        var message = zmq_msg_t()
        zmq_msg_init(&message)
        defer { zmq_msg_close(&message) }
        while zmq_msg_recv(&message, socket, flags) < 0 {
            let error = ZMQError.last("zmq_msg_recv")
            if error.isWouldBlock { return nil }
            if error.isInterrupted { continue }
            throw error
        }
        let size = zmq_msg_size(&message)
        let bytes: [UInt8]
        if size == 0 {
            bytes = []
        } else {
            bytes = Array(UnsafeRawBufferPointer(start: zmq_msg_data(&message), count: size))
        }
        return (bytes, zmq_msg_more(&message) != 0)
    }
}
