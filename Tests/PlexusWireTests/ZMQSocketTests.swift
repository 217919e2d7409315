import Synchronization
import Testing
@testable import PlexusWire
#if canImport(Glibc)
import Glibc
#endif

/// Polls `condition` every 10 ms until it holds or `timeoutMilliseconds` pass; whether it held.
func eventually(timeoutMilliseconds: Int = 3000, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = ContinuousClock.now.advanced(by: .milliseconds(timeoutMilliseconds))
    while true {
        if try condition() { return true }
        if ContinuousClock.now >= end { return false }
        usleep(10_000)
    }
}

/// A ROUTER bound to a free loopback port, and the endpoint it got.
func boundRouter(_ context: ZMQContext, configure: (ZMQSocket) throws -> Void = { _ in }) throws -> (ZMQSocket, String) {
    let router = try ZMQSocket(context: context, kind: .router)
    try configure(router)
    try router.bind("tcp://127.0.0.1:*")
    return (router, try router.lastEndpoint())
}

@Suite("ZeroMQ sockets")
struct ZMQSocketTests {
    @Test("ROUTER/DEALER multipart round trip over tcp://127.0.0.1:*")
    func routerDealerRoundTrip() throws {
        let context = try ZMQContext()
        let (router, endpoint) = try boundRouter(context) { try $0.set(.routerMandatory, true) }
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
        let port = Int(endpoint.split(separator: ":").last ?? "") ?? 0
        #expect(port > 0 && port != 0)

        let dealer = try ZMQSocket(context: context, kind: .dealer)
        try dealer.set(.routingID, Array("worker-1".utf8))
        try dealer.connect(endpoint)

        let payload = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try dealer.send([Array("push".utf8), payload, []])
        let received = try #require(try router.receive(timeoutMilliseconds: 3000))
        #expect(received == [Array("worker-1".utf8), Array("push".utf8), payload, []])

        try router.send([received[0], Array("weights".utf8), Array(payload.reversed())])
        let reply = try #require(try dealer.receive(timeoutMilliseconds: 3000))
        #expect(reply == [Array("weights".utf8), Array(payload.reversed())])
    }

    @Test("ROUTER_MANDATORY: sending to an unknown identity fails with EHOSTUNREACH")
    func routerMandatoryUnknownPeer() throws {
        let context = try ZMQContext()
        let (router, _) = try boundRouter(context) { try $0.set(.routerMandatory, true) }
        let error = try #require(throws: ZMQError.self) {
            try router.send([Array("nobody".utf8), Array("hello".utf8)], dontWait: true)
        }
        #expect(error.isHostUnreachable)
        #expect(error.description.contains("zmq_send"))
    }

    @Test("receive returns nil when nothing arrives in time")
    func receiveTimeout() throws {
        let context = try ZMQContext()
        let (router, _) = try boundRouter(context)
        let start = ContinuousClock.now
        let message = try router.receive(timeoutMilliseconds: 150)
        let elapsed = ContinuousClock.now - start
        #expect(message == nil)
        #expect(elapsed >= .milliseconds(140))
        #expect(elapsed < .seconds(2))
        #expect(try router.receive(timeoutMilliseconds: 0) == nil)
    }

    @Test("ZMQ_MAXMSGSIZE drops an oversized message and disconnects its sender; the receiver stays healthy")
    func maxMessageSize() throws {
        let context = try ZMQContext()
        let (router, endpoint) = try boundRouter(context) { try $0.set(.maxMessageSize, 1024) }
        #expect(try router.get(.maxMessageSize) == 1024)
        let monitor = try ZMQMonitor(watching: router, events: [.accepted, .disconnected])

        let big = try ZMQSocket(context: context, kind: .dealer)
        try big.set(.reconnectInterval, -1)  // stay down once dropped
        try big.connect(endpoint)
        try big.send([[UInt8](repeating: 0xAB, count: 4096)])

        let dropped = try monitor.wait(for: .disconnected, timeoutMilliseconds: 3000)
        #expect(dropped != nil, "the oversized sender should be disconnected")
        #expect(try router.receive(timeoutMilliseconds: 200) == nil)

        let small = try ZMQSocket(context: context, kind: .dealer)
        try small.connect(endpoint)
        try small.send([Array("still fine".utf8), [UInt8](repeating: 1, count: 1000)])
        let received = try #require(try router.receive(timeoutMilliseconds: 3000))
        #expect(received.count == 3)
        #expect(received[1] == Array("still fine".utf8))
    }

    @Test("binding a bad endpoint names the operation, the endpoint and the reason")
    func bindErrors() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, kind: .router)

        let badScheme = try #require(throws: ZMQError.self) { try socket.bind("bogus://nowhere") }
        #expect(badScheme.code == EPROTONOSUPPORT)
        #expect(badScheme.description == "zmq_bind bogus://nowhere: Protocol not supported")

        let badPort = try #require(throws: ZMQError.self) { try socket.bind("tcp://127.0.0.1:notaport") }
        #expect(badPort.description.hasPrefix("zmq_bind tcp://127.0.0.1:notaport: "))
        #expect(badPort.message == "Invalid argument")

        try socket.bind("tcp://127.0.0.1:*")
        let endpoint = try socket.lastEndpoint()
        let other = try ZMQSocket(context: context, kind: .router)
        let inUse = try #require(throws: ZMQError.self) { try other.bind(endpoint) }
        #expect(inUse.description == "zmq_bind \(endpoint): Address already in use")
        #expect(!inUse.isWouldBlock)

        let closed = try ZMQSocket(context: context, kind: .dealer)
        closed.close()
        let notSocket = try #require(throws: ZMQError.self) { try closed.connect("tcp://127.0.0.1:1") }
        #expect(notSocket.code == ENOTSOCK)
    }

    @Test("options are set and read back")
    func options() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, kind: .dealer)
        #expect(try socket.get(.linger) == 0)
        try socket.set(.linger, 250)
        try socket.set(.sendHighWaterMark, 17)
        try socket.set(.receiveHighWaterMark, 19)
        try socket.set(.maxMessageSize, 1 << 40)
        try socket.set(.routingID, [1, 2, 3, 250])
        try socket.set(.immediate, true)
        try socket.set(.reconnectInterval, 120)
        try socket.set(.reconnectIntervalMax, 4000)
        try socket.set(.handshakeInterval, 5000)
        try socket.set(.tcpKeepAlive, 1)
        try socket.set(.zapDomain, "plexus-test")
        #expect(try socket.get(.linger) == 250)
        #expect(try socket.get(.sendHighWaterMark) == 17)
        #expect(try socket.get(.receiveHighWaterMark) == 19)
        #expect(try socket.get(.maxMessageSize) == 1 << 40)
        #expect(try socket.get(.routingID) == [1, 2, 3, 250])
        #expect(try socket.get(.immediate) == true)
        #expect(try socket.get(.reconnectInterval) == 120)
        #expect(try socket.get(.reconnectIntervalMax) == 4000)
        #expect(try socket.get(.handshakeInterval) == 5000)
        #expect(try socket.get(.tcpKeepAlive) == 1)
        #expect(try socket.get(.zapDomain) == "plexus-test")
        #expect(try socket.get(.socketType) == ZMQSocket.Kind.dealer.rawValue)

        let error = try #require(throws: ZMQError.self) { try socket.set(.routingID, []) }
        #expect(error.description.hasPrefix("zmq_setsockopt ZMQ_ROUTING_ID: "))
    }

    @Test("the poller reports which socket is readable")
    func poller() throws {
        let context = try ZMQContext()
        let (quiet, _) = try boundRouter(context)
        let (busy, endpoint) = try boundRouter(context)
        let dealer = try ZMQSocket(context: context, kind: .dealer)
        try dealer.connect(endpoint)

        var poller = ZMQPoller()
        let quietIndex = poller.add(quiet)
        let busyIndex = poller.add(busy)
        #expect(try poller.poll(timeoutMilliseconds: 50).allSatisfy { $0.isEmpty })

        try dealer.send([Array("ping".utf8)])
        var ready: [ZMQPoller.Events] = []
        #expect(try eventually {
            ready = try poller.poll(timeoutMilliseconds: 100)
            return !ready[busyIndex].isEmpty
        })
        #expect(ready[busyIndex].contains(.readable))
        #expect(ready[quietIndex].isEmpty)
        #expect(try busy.receive(timeoutMilliseconds: 0)?.last == Array("ping".utf8))
    }

    @Test("the monitor reports connection and handshake events")
    func monitorEvents() throws {
        let context = try ZMQContext()
        let dealer = try ZMQSocket(context: context, kind: .dealer)
        let monitor = try ZMQMonitor(watching: dealer)
        let (router, endpoint) = try boundRouter(context)
        try dealer.connect(endpoint)
        let handshake = try monitor.wait(for: .handshakeSucceeded, timeoutMilliseconds: 3000)
        #expect(handshake?.endpoint == endpoint)

        router.close()
        let lost = try monitor.wait(for: .disconnected, timeoutMilliseconds: 3000)
        #expect(lost?.endpoint == endpoint)
        #expect(ZMQMonitorEvent.Kind.handshakeFailedAuth.description == "handshake-failed-auth")
    }

    @Test("shutting the context down wakes a blocked receive with ETERM")
    func contextShutdown() throws {
        let context = try ZMQContext()
        let (router, _) = try boundRouter(context)
        let outcome = OutcomeBox()
        let thread = try ZMQThread(name: "receiver") {
            do throws(ZMQError) {
                let message = try router.receive(timeoutMilliseconds: 3000)
                outcome.set(message == nil ? "timeout" : "message")
            } catch {
                outcome.set(error.isContextTerminated ? "ETERM" : "other: \(error)")
            }
            router.close()
        }
        usleep(100_000)
        context.shutdown()
        #expect(eventually(timeoutMilliseconds: 2500) { outcome.value != nil })
        thread.join()
        #expect(outcome.value == "ETERM")
    }

    @Test("Z85 keys encode and decode; CURVE is available")
    func z85() throws {
        #expect(CurveKey.isAvailable)
        let bytes = (0..<32).map { UInt8($0 * 5) }
        let text = try #require(CurveKey.encode(bytes))
        #expect(text.count == 40)
        #expect(CurveKey.decode(text) == bytes)
        #expect(CurveKey.decode("too short") == nil)
        #expect(CurveKey.decode(String(repeating: "\"", count: 40)) == nil)
        #expect(CurveKey.encode([1, 2, 3]) == nil)
    }
}

/// A string set once from another thread.
final class OutcomeBox: Sendable {
    private let stored = Mutex<String?>(nil)
    func set(_ value: String) { stored.withLock { $0 = value } }
    var value: String? { stored.withLock { $0 } }
}
