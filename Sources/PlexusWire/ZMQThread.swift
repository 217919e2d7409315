#if canImport(Glibc)
import Glibc
#endif

/// A joinable POSIX thread running a closure: the owning thread for a socket that lives in the
/// background (the ZAP handler's REP socket). Starting and joining the thread are full memory
/// barriers, which is what libzmq asks of a socket handed from one thread to another.
final class ZMQThread: Sendable {
    private final class Body: Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) {
            self.run = run
        }
    }

    private let thread: pthread_t

    /// Starts `body` on a new thread; `name` identifies it in errors.
    init(name: String, _ body: @escaping @Sendable () -> Void) throws(ZMQError) {
        let box = Unmanaged.passRetained(Body(body))
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
            body.run()
            return nil
        }, box.toOpaque())
        if rc != 0 {
            box.release()
            throw ZMQError(code: rc, operation: "pthread_create \(name)")
        }
        self.thread = thread
    }

    /// Whether the caller is this thread.
    var isCurrent: Bool { pthread_equal(pthread_self(), thread) != 0 }

    /// Waits for the thread to finish. Call exactly once (a thread never joined keeps its resources
    /// until the process exits), and never from the thread itself.
    func join() {
        _ = pthread_join(thread, nil)
    }
}
