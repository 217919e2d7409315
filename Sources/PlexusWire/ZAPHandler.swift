import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A ZAP authentication handler (ZeroMQ RFC 27/ZAP) that admits CURVE clients whose public key is
/// on an allow-list and refuses everything else.
///
/// libzmq asks the handler bound at `inproc://zeromq.zap.01` *on the same context* about every
/// incoming connection to a CURVE server socket (and to any socket with a ZAP domain set). This
/// handler owns a REP socket bound there and answers on a background thread: status 200 for a CURVE
/// client key on the allow-list (the key becomes the connection's user id), 400 for any other key or
/// mechanism, 500 for a malformed request. Refusals are counted, the latest kept, and each is
/// reported to the `onRefusal` callback — on the handler thread, so keep it short.
///
/// What the handler does *not* see: a client with the wrong server key, or one without CURVE,
/// fails the handshake before libzmq consults ZAP. Those show up on the server socket's
/// ``ZMQMonitor`` as ``ZMQMonitorEvent/Kind-swift.struct/handshakeFailedProtocol``.
///
/// Create the handler before binding the CURVE server socket (libzmq lets every client in while no
/// handler is bound). It stops when ``stop()`` is called, when it is deinitialised, or when the
/// context is shut down; stopping waits at most one poll interval.
public final class ZAPHandler: Sendable {
    /// The endpoint libzmq sends ZAP requests to.
    public static let endpoint = "inproc://zeromq.zap.01"
    /// How many refusals ``recentRefusals`` keeps.
    public static let refusalHistory = 64

    private struct Ledger {
        var allowed: Set<String>
        var accepted = 0
        var refused = 0
        var recent: [ZAPRefusal] = []
    }

    private final class Shared: Sendable {
        let ledger: Mutex<Ledger>
        let stopRequested = Atomic<Bool>(false)
        let running = Atomic<Bool>(true)
        let onRefusal: (@Sendable (ZAPRefusal) -> Void)?

        init(allowed: Set<String>, onRefusal: (@Sendable (ZAPRefusal) -> Void)?) {
            self.ledger = Mutex(Ledger(allowed: allowed))
            self.onRefusal = onRefusal
        }
    }

    private let shared: Shared
    private let thread: ZMQThread
    private let joined = Mutex<Bool>(false)

    /// Binds the ZAP endpoint on `context` and starts answering.
    ///
    /// - Parameters:
    ///   - allowedKeys: Z85 public keys of the clients to admit (e.g. from
    ///     `CurveCertificate.loadPublicKeys(inDirectory:)`).
    ///   - pollIntervalMilliseconds: how often the thread checks for ``stop()``.
    ///   - onRefusal: called on the handler thread for every refused connection.
    /// - Throws: `EADDRINUSE` if the context already has a ZAP handler.
    public init(
        context: ZMQContext,
        allowedKeys: some Sequence<String>,
        pollIntervalMilliseconds: Int32 = 50,
        onRefusal: (@Sendable (ZAPRefusal) -> Void)? = nil
    ) throws(ZMQError) {
        let socket = try ZMQSocket(context: context, kind: .reply)
        try socket.bind(ZAPHandler.endpoint)
        let shared = Shared(allowed: Set(allowedKeys), onRefusal: onRefusal)
        self.shared = shared
        // The REP socket is handed over to the handler thread here and used by it alone from now on.
        self.thread = try ZMQThread(name: "plexus-zap") {
            ZAPHandler.serve(socket, shared: shared, pollMilliseconds: pollIntervalMilliseconds)
        }
    }

    deinit {
        stop()
    }

    /// Asks the thread to stop and waits for it (at most about one poll interval); its socket is then
    /// closed. Idempotent. Called from the `onRefusal` callback, it only requests the stop.
    public func stop() {
        shared.stopRequested.store(true, ordering: .releasing)
        if thread.isCurrent { return }
        joined.withLock { done in
            if !done {
                thread.join()
                done = true
            }
        }
    }

    /// Whether the handler thread is still answering.
    public var isRunning: Bool { shared.running.load(ordering: .acquiring) }

    /// The Z85 public keys admitted.
    public var allowedKeys: Set<String> { shared.ledger.withLock { $0.allowed } }

    /// Replaces the allow-list; takes effect for the next connection.
    public func setAllowedKeys(_ keys: some Sequence<String>) {
        let keys = Set(keys)
        shared.ledger.withLock { $0.allowed = keys }
    }

    /// Connections admitted so far.
    public var acceptedCount: Int { shared.ledger.withLock { $0.accepted } }
    /// Connections refused so far.
    public var refusedCount: Int { shared.ledger.withLock { $0.refused } }
    /// The latest refusals, oldest first (at most ``refusalHistory``).
    public var recentRefusals: [ZAPRefusal] { shared.ledger.withLock { $0.recent } }

    // MARK: - Handler thread

    private static func serve(_ socket: ZMQSocket, shared: Shared, pollMilliseconds: Int32) {
        defer {
            // zmq_close releases endpoints later, on libzmq's reaper thread; unbinding first frees the
            // inproc endpoint now, so a new handler on the same context can bind it at once.
            try? socket.unbind(ZAPHandler.endpoint)
            socket.close()
            shared.running.store(false, ordering: .releasing)
        }
        while !shared.stopRequested.load(ordering: .acquiring) {
            do throws(ZMQError) {
                guard let request = try socket.receive(timeoutMilliseconds: pollMilliseconds) else { continue }
                let (reply, refusal) = answer(request, shared: shared)
                try socket.send(reply)
                if let refusal { shared.onRefusal?(refusal) }
            } catch where error.isContextTerminated {
                return
            } catch {
                // Not expected on an inproc REP socket. Keep the endpoint bound rather than exit: while
                // it is bound and unanswered, handshakes time out (fail closed); once it is gone,
                // libzmq would fall back to admitting clients. Pace the retries.
                usleep(UInt32(max(pollMilliseconds, 1)) * 1000)
            }
        }
    }

    /// The reply frames to one request, and the refusal to report if it was refused.
    private static func answer(_ frames: [[UInt8]], shared: Shared) -> (reply: [[UInt8]], refusal: ZAPRefusal?) {
        func text(_ index: Int) -> String {
            index < frames.count ? String(decoding: frames[index], as: UTF8.self) : ""
        }
        let requestID = frames.count > 1 ? frames[1] : []
        func reply(_ status: Int, _ reason: String, userID: String = "") -> [[UInt8]] {
            [Array("1.0".utf8), requestID, Array(String(status).utf8), Array(reason.utf8), Array(userID.utf8), []]
        }

        // Request: version, request id, domain, address, routing id, mechanism, credentials…
        guard frames.count >= 6, text(0) == "1.0" else {
            let refusal = record(refusal: ZAPRefusal(
                mechanism: text(5), publicKey: nil, address: text(3), domain: text(2),
                statusCode: 500, reason: "malformed ZAP request"), shared: shared)
            return (reply(500, "malformed ZAP request"), refusal)
        }
        let domain = text(2)
        let address = text(3)
        let mechanism = text(5)
        guard mechanism == "CURVE" else {
            let reason = "mechanism \(mechanism) not allowed"
            let refusal = record(refusal: ZAPRefusal(
                mechanism: mechanism, publicKey: nil, address: address, domain: domain,
                statusCode: 400, reason: reason), shared: shared)
            return (reply(400, reason), refusal)
        }
        guard frames.count >= 7, let key = CurveKey.encode(frames[6]) else {
            let refusal = record(refusal: ZAPRefusal(
                mechanism: mechanism, publicKey: nil, address: address, domain: domain,
                statusCode: 500, reason: "malformed CURVE credentials"), shared: shared)
            return (reply(500, "malformed CURVE credentials"), refusal)
        }
        let admitted = shared.ledger.withLock { ledger in
            guard ledger.allowed.contains(key) else { return false }
            ledger.accepted += 1
            return true
        }
        if admitted {
            return (reply(200, "OK", userID: key), nil)
        }
        let reason = "client key not authorised"
        let refusal = record(refusal: ZAPRefusal(
            mechanism: mechanism, publicKey: key, address: address, domain: domain,
            statusCode: 400, reason: reason), shared: shared)
        return (reply(400, reason), refusal)
    }

    private static func record(refusal: ZAPRefusal, shared: Shared) -> ZAPRefusal {
        shared.ledger.withLock { ledger in
            ledger.refused += 1
            ledger.recent.append(refusal)
            if ledger.recent.count > refusalHistory {
                ledger.recent.removeFirst(ledger.recent.count - refusalHistory)
            }
        }
        return refusal
    }
}
