import Synchronization
import Testing
@testable import PlexusWire
#if canImport(Glibc)
import Glibc
#endif

/// Refusals the ZAP callback saw, from the handler thread.
final class RefusalLog: Sendable {
    private let entries = Mutex<[ZAPRefusal]>([])
    func append(_ refusal: ZAPRefusal) { entries.withLock { $0.append(refusal) } }
    var all: [ZAPRefusal] { entries.withLock { $0 } }
}

/// A CURVE ROUTER server on loopback with a ZAP handler admitting `allowed`, and a monitor on it.
struct CurveServer {
    let context: ZMQContext
    let keys: CurveKeyPair
    let handler: ZAPHandler
    let log: RefusalLog
    let router: ZMQSocket
    let monitor: ZMQMonitor
    let endpoint: String

    init(allowing allowed: Set<String>) throws {
        context = try ZMQContext()
        keys = try CurveKeyPair.generate()
        let log = RefusalLog()
        self.log = log
        handler = try ZAPHandler(context: context, allowedKeys: allowed) { log.append($0) }
        router = try ZMQSocket(context: context, kind: .router)
        try router.makeCurveServer(keyPair: keys)
        try router.set(.handshakeInterval, 2000)
        monitor = try ZMQMonitor(watching: router, events: [.handshakeSucceeded, .handshakeFailures])
        try router.bind("tcp://127.0.0.1:*")
        endpoint = try router.lastEndpoint()
    }

    /// A DEALER on the same context, configured by `configure`, connected to the server.
    func client(_ configure: (ZMQSocket) throws -> Void) throws -> ZMQSocket {
        let dealer = try ZMQSocket(context: context, kind: .dealer)
        try configure(dealer)
        try dealer.connect(endpoint)
        return dealer
    }
}

@Suite("CURVE authentication with a ZAP allow-list")
struct CurveAuthTests {
    @Test("an allow-listed client (keys from *.pub files) exchanges messages over CURVE")
    func authorisedClient() throws {
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let clientKeys = try CurveKeyPair.generate()
        try CurveCertificate(keyPair: clientKeys, metadata: ["name": "worker-1"]).write(inDirectory: directory, name: "worker-1")
        let allowed = try CurveCertificate.loadPublicKeys(inDirectory: directory)

        let server = try CurveServer(allowing: allowed)
        let client = try server.client { try $0.makeCurveClient(keyPair: clientKeys, serverPublicKey: server.keys.publicKey) }
        #expect(try client.get(.mechanism) == 2)  // ZMQ_CURVE

        try client.send([Array("join".utf8), [1, 2, 3]])
        let request = try #require(try server.router.receive(timeoutMilliseconds: 3000))
        #expect(request.dropFirst().map { $0 } == [Array("join".utf8), [1, 2, 3]])
        try server.router.send([request[0], Array("welcome".utf8)])
        #expect(try client.receive(timeoutMilliseconds: 3000) == [Array("welcome".utf8)])

        #expect(server.handler.acceptedCount == 1)
        #expect(server.handler.refusedCount == 0)
        #expect(try server.monitor.wait(for: .handshakeSucceeded, timeoutMilliseconds: 1000) != nil)
    }

    @Test("a client with the right server key but an unlisted key is refused and the refusal recorded")
    func unlistedClient() throws {
        let listed = try CurveKeyPair.generate()
        let server = try CurveServer(allowing: [listed.publicKey])
        let stranger = try CurveKeyPair.generate()
        let client = try server.client { try $0.makeCurveClient(keyPair: stranger, serverPublicKey: server.keys.publicKey) }
        let clientMonitor = try ZMQMonitor(watching: client, events: .handshakeFailures)
        try client.send([Array("let me in".utf8)])

        #expect(try server.router.receive(timeoutMilliseconds: 800) == nil)
        #expect(eventually { server.handler.refusedCount >= 1 })
        let refusal = try #require(server.log.all.first)
        #expect(refusal.publicKey == stranger.publicKey)
        #expect(refusal.address == "127.0.0.1")
        #expect(refusal.mechanism == "CURVE")
        #expect(refusal.statusCode == 400)
        #expect(server.handler.recentRefusals.first == refusal)
        #expect(server.handler.acceptedCount == 0)

        let serverEvent = try server.monitor.wait(for: .handshakeFailedAuth, timeoutMilliseconds: 2000)
        #expect(serverEvent?.value == 400)
        // The client learns why: the worker can report "not authorised" instead of hanging.
        let clientEvent = try clientMonitor.wait(for: .handshakeFailedAuth, timeoutMilliseconds: 2000)
        #expect(clientEvent?.value == 400)
    }

    @Test("a client with the wrong server key gets nothing through; the server sees a protocol failure")
    func wrongServerKey() throws {
        let clientKeys = try CurveKeyPair.generate()
        let server = try CurveServer(allowing: [clientKeys.publicKey])
        let impostor = try CurveKeyPair.generate()
        let client = try server.client { try $0.makeCurveClient(keyPair: clientKeys, serverPublicKey: impostor.publicKey) }
        try client.send([Array("hello?".utf8)])

        #expect(try server.router.receive(timeoutMilliseconds: 800) == nil)
        let failure = try server.monitor.wait(for: .handshakeFailedProtocol, timeoutMilliseconds: 2000)
        #expect(failure != nil)
        // The box does not open before authentication, so ZAP is never asked.
        #expect(server.handler.acceptedCount == 0)
        #expect(server.handler.refusedCount == 0)
    }

    @Test("a client without CURVE gets nothing through; the server sees a mechanism mismatch")
    func plaintextClient() throws {
        let server = try CurveServer(allowing: [])
        let client = try server.client { _ in }
        try client.send([Array("plain".utf8)])

        #expect(try server.router.receive(timeoutMilliseconds: 800) == nil)
        let failure = try server.monitor.wait(for: .handshakeFailedProtocol, timeoutMilliseconds: 2000)
        #expect(failure != nil)
        #expect(server.handler.acceptedCount == 0)
    }

    @Test("without a ZAP handler, ZMQ_ZAP_ENFORCE_DOMAIN (set by makeCurveServer) refuses every client")
    func enforcedDomainWithoutHandler() throws {
        let context = try ZMQContext()
        let serverKeys = try CurveKeyPair.generate()
        let router = try ZMQSocket(context: context, kind: .router)
        #expect(try router.makeCurveServer(keyPair: serverKeys))
        #expect(try router.get(.zapEnforceDomain))
        try router.bind("tcp://127.0.0.1:*")
        let client = try ZMQSocket(context: context, kind: .dealer)
        try client.makeCurveClient(keyPair: try CurveKeyPair.generate(), serverPublicKey: serverKeys.publicKey)
        try client.connect(try router.lastEndpoint())
        try client.send([Array("anyone home?".utf8)])
        #expect(try router.receive(timeoutMilliseconds: 800) == nil)
    }

    @Test("the ZAP handler stops promptly, releases its endpoint, and exits on context shutdown")
    func handlerLifecycle() throws {
        let context = try ZMQContext()
        let handler = try ZAPHandler(context: context, allowedKeys: [])
        #expect(handler.isRunning)
        let second = try #require(throws: ZMQError.self) { try ZAPHandler(context: context, allowedKeys: []) }
        #expect(second.code == EADDRINUSE)

        let start = ContinuousClock.now
        handler.stop()
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(!handler.isRunning)
        handler.stop()

        let replacement = try ZAPHandler(context: context, allowedKeys: ["x"])
        replacement.setAllowedKeys(["a", "b"])
        #expect(replacement.allowedKeys == ["a", "b"])
        context.shutdown()
        #expect(eventually(timeoutMilliseconds: 2000) { !replacement.isRunning })
    }
}
