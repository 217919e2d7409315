import Synchronization
import Testing
@testable import PlexusWire
#if canImport(Glibc)
import Glibc
#endif

/// A TCP relay on 127.0.0.1 that forwards every connection to `upstreamPort` and records all the
/// bytes it relays, both ways: what an eavesdropper on the wire would see. Plain Glibc sockets, one
/// background thread, bounded waits (50 ms polls) so that ``stop()`` always returns promptly.
final class LoopbackTap: Sendable {
    let port: UInt16
    private let captured = Mutex<[UInt8]>([])
    private let stopRequested = Atomic<Bool>(false)
    private let thread: Mutex<ZMQThread?> = Mutex(nil)

    init(upstreamPort: UInt16) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(listener >= 0)
        var reuse: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = LoopbackTap.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(bound == 0 && listen(listener, 8) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)

        let started = try ZMQThread(name: "tap") { [self] in
            self.serve(listener: listener, upstreamPort: upstreamPort)
        }
        thread.withLock { $0 = started }
    }

    /// Everything relayed so far.
    var bytes: [UInt8] { captured.withLock { $0 } }

    /// Stops relaying and waits for the thread.
    func stop() {
        stopRequested.store(true, ordering: .releasing)
        let running = thread.withLock { slot -> ZMQThread? in
            defer { slot = nil }
            return slot
        }
        running?.join()
    }

    private func serve(listener: Int32, upstreamPort: UInt16) {
        defer { close(listener) }
        while !stopRequested.load(ordering: .acquiring) {
            var item = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&item, 1, 50) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = LoopbackTap.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if connected == 0 { pump(client, upstream) }
            close(upstream)
            close(client)
        }
    }

    /// Relays between the two sockets until one side closes or a stop is requested.
    private func pump(_ first: Int32, _ second: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !stopRequested.load(ordering: .acquiring) {
            var items = [pollfd(fd: first, events: Int16(POLLIN), revents: 0),
                         pollfd(fd: second, events: Int16(POLLIN), revents: 0)]
            guard poll(&items, 2, 50) > 0 else { continue }
            for (from, to) in [(0, 1), (1, 0)] where items[from].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { recv(items[from].fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { return }
                captured.withLock { $0.append(contentsOf: buffer.prefix(count)) }
                var sent = 0
                while sent < count {
                    let n = buffer.withUnsafeBytes {
                        Glibc.send(items[to].fd, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL))
                    }
                    if n <= 0 { return }
                    sent += n
                }
            }
        }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        return address
    }
}

/// Whether `needle` occurs in `haystack`.
func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
    return (0...(haystack.count - needle.count)).contains { start in
        haystack[start..<(start + needle.count)].elementsEqual(needle)
    }
}

@Suite("CURVE traffic on the wire")
struct CurvePlaintextTests {
    /// 32 recognisable bytes.
    static let canary = Array("plexus-canary-pattern-0123456789".utf8)

    @Test("a known pattern is visible on the wire without CURVE and invisible with it", arguments: [false, true])
    func wireContents(curve: Bool) throws {
        #expect(Self.canary.count == 32)
        let context = try ZMQContext()
        let serverKeys = try CurveKeyPair.generate()
        let clientKeys = try CurveKeyPair.generate()
        let handler = try ZAPHandler(context: context, allowedKeys: [clientKeys.publicKey])
        defer { handler.stop() }

        let router = try ZMQSocket(context: context, kind: .router)
        if curve { try router.makeCurveServer(keyPair: serverKeys) }
        try router.bind("tcp://127.0.0.1:*")
        let serverPort = try #require(UInt16(try router.lastEndpoint().split(separator: ":").last ?? ""))
        let tap = try LoopbackTap(upstreamPort: serverPort)
        defer { tap.stop() }

        let dealer = try ZMQSocket(context: context, kind: .dealer)
        if curve { try dealer.makeCurveClient(keyPair: clientKeys, serverPublicKey: serverKeys.publicKey) }
        try dealer.connect("tcp://127.0.0.1:\(tap.port)")

        try dealer.send([Self.canary, Self.canary])
        let request = try #require(try router.receive(timeoutMilliseconds: 3000))
        #expect(request.last == Self.canary)
        try router.send([request[0], Self.canary])
        #expect(try dealer.receive(timeoutMilliseconds: 3000) == [Self.canary])
        tap.stop()

        let wire = tap.bytes
        #expect(wire.count > 2 * Self.canary.count, "the traffic went through the tap")
        #expect(contains(wire, Self.canary) == !curve)
        #expect(handler.acceptedCount == (curve ? 1 : 0))
    }
}
