import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP forwarder on 127.0.0.1 that records every byte passing through it in either direction:
/// a worker connects to `port` instead of the coordinator, and the test then looks at what an
/// eavesdropper on the wire would have seen.
final class TCPRecorder: @unchecked Sendable {
    /// The port to connect to instead of the target.
    private(set) var port = 0
    private let targetPort: Int
    private let listener: Int32
    private let lock = NSLock()
    private var captured: [UInt8] = []
    private var open: Set<Int32> = []

    /// Starts listening on a free port and forwarding each connection to 127.0.0.1:`targetPort`.
    init(forwardingTo targetPort: Int) throws {
        self.targetPort = targetPort
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        var address = TCPRecorder.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(listener, 16) == 0 else {
            close(listener)
            throw TestFailure("cannot listen: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    deinit { stop() }

    /// Everything recorded so far, both directions interleaved.
    var bytes: [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return captured
    }

    /// Whether `pattern` occurs in what was recorded.
    func saw(_ pattern: [UInt8]) -> Bool {
        Data(bytes).range(of: Data(pattern)) != nil
    }

    /// Stops accepting and cuts the connections in flight.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        lock.lock()
        let sockets = open
        lock.unlock()
        for fd in sockets { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { close(listener); return }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = TCPRecorder.loopback(port: targetPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { close(client); close(upstream); continue }
            lock.lock()
            open.formUnion([client, upstream])
            lock.unlock()
            let done = DispatchGroup()
            for (from, to) in [(client, upstream), (upstream, client)] {
                done.enter()
                Thread.detachNewThread { [self] in pump(from: from, to: to); done.leave() }
            }
            Thread.detachNewThread { [self] in
                done.wait()
                lock.lock()
                open.subtract([client, upstream])
                lock.unlock()
                close(client)
                close(upstream)
            }
        }
    }

    /// Copies `from` → `to`, recording the bytes, until either side closes.
    private func pump(from: Int32, to: Int32) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(from, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { shutdown(to, Int32(SHUT_RDWR)); return }
            lock.lock()
            captured.append(contentsOf: buffer[0..<n])
            lock.unlock()
            var sent = 0
            while sent < n {
                let m = buffer.withUnsafeBytes { send(to, $0.baseAddress! + sent, n - sent, Int32(MSG_NOSIGNAL)) }
                guard m > 0 else { shutdown(from, Int32(SHUT_RDWR)); return }
                sent += m
            }
        }
    }
}
