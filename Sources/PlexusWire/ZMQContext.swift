import CZeroMQ
#if canImport(Glibc)
import Glibc
#endif

/// A libzmq context (`zmq_ctx_new`): the I/O threads and the `inproc://` namespace that sockets
/// share. One per process is normal; a ZAP handler serves the sockets of its own context only.
///
/// libzmq contexts are thread-safe, so this class is `Sendable`; the sockets made from it are not
/// (see ``ZMQSocket``). Every socket keeps its context alive, so the context is terminated
/// (`zmq_ctx_term`, in `deinit`) only after all its sockets have been closed — termination cannot
/// block on an open socket of ours. Call ``shutdown()`` to make blocking calls on every socket of the
/// context return `ETERM` (``ZMQError/isContextTerminated``) so their owning threads can wind down.
public final class ZMQContext: @unchecked Sendable {
    // @unchecked: the only stored state is the libzmq context pointer, and libzmq documents the
    // context as thread-safe (zmq_ctx_new(3)); it is never reassigned.
    let handle: UnsafeMutableRawPointer

    /// A new context with `ioThreads` background I/O threads (libzmq's default is 1, enough for
    /// roughly a gigabyte per second).
    public init(ioThreads: Int32 = 1) throws(ZMQError) {
        guard let context = zmq_ctx_new() else {
            throw ZMQError.last("zmq_ctx_new")
        }
        handle = context
        if ioThreads != 1, zmq_ctx_set(context, ZMQ_IO_THREADS, ioThreads) != 0 {
            let error = ZMQError.last("zmq_ctx_set ZMQ_IO_THREADS \(ioThreads)")
            zmq_ctx_term(context)
            throw error
        }
    }

    /// Shuts the context down (`zmq_ctx_shutdown`): any blocking operation on its sockets, now or
    /// later, fails with `ETERM`. Sockets must still be closed (dropped) by their owners; the context
    /// itself is terminated when the last reference goes. Safe to call from any thread, more than once.
    public func shutdown() {
        _ = zmq_ctx_shutdown(handle)
    }

    deinit {
        // zmq_ctx_term may be interrupted by a signal; it must then be called again.
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }

    /// Whether libzmq was built with a capability: "curve", "ipc", "gssapi", "draft", … (`zmq_has`).
    public static func has(_ capability: String) -> Bool {
        zmq_has(capability) != 0
    }

    /// The libzmq version linked at run time (`zmq_version`).
    public static var version: (major: Int32, minor: Int32, patch: Int32) {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return (major, minor, patch)
    }
}
