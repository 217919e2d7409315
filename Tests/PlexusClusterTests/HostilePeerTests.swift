import Foundation
import PlexusCluster
import PlexusWire
import Testing

/// Nothing a peer sends can crash the coordinator: a raw DEALER sends garbage, messages out of
/// turn and malformed pushes to a real coordinator process, gets an `Error` for each, and a real
/// worker then trains to the end.
@Suite("the coordinator survives hostile peers", .serialized)
struct HostilePeerTests {
    /// Sends one message (or raw bytes) and returns the decoded reply, if one comes within 10 s.
    func exchange(_ socket: ZMQSocket, _ bytes: [UInt8]) throws -> Message? {
        try socket.send(bytes)
        guard let frames = try socket.receive(timeoutMilliseconds: 10_000), frames.count == 1 else { return nil }
        return try Message.decode(frames[0])
    }

    func errorCode(_ message: Message?) -> Int? {
        if case .error(let e) = message { return e.code }
        return nil
    }

    @Test("garbage, pushes before joining, wrong shapes and NaN are answered with errors; training still completes")
    func hostilePeer() throws {
        let dir = TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let endpointFile = dir.appendingPathComponent("endpoint"), log = dir.appendingPathComponent("m.jsonl")
        let coordinator = try Spawned(["coordinator", "--bind", "tcp://127.0.0.1:*", "--endpoint-file", endpointFile.path, "--workers", "1",
                                       "--data", "synthetic:500:50", "--layers", "784,16,10", "--steps", "4", "--epochs", "1",
                                       "--batch", "100", "--quiet", "--metrics", log.path, "--join-timeout", "60"],
                                      in: dir, label: "coordinator")
        let endpoint = try #require(TestFiles.waitForText(endpointFile, seconds: 30), "coordinator: \(coordinator.stderr)")
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, kind: .dealer)
        try socket.set(.maxMessageSize, 1 << 30)
        try socket.connect(endpoint)
        defer { socket.close() }

        // Not protobuf at all.
        #expect(errorCode(try exchange(socket, [0xFF, 0x13, 0x37, 0x00, 0x42])) == ClusterProtocol.ErrorCode.invalidMessage.rawValue)
        // A push from a peer that never joined.
        let stray = Message.push(Push(workerID: 0, baseVersion: 0, deltas: [], sampleCount: 1))
        #expect(errorCode(try exchange(socket, stray.encoded())) == ClusterProtocol.ErrorCode.notJoined.rawValue)
        // A coordinator-only message.
        let weights = Message.weights(Weights(version: 0, tensors: []))
        #expect(errorCode(try exchange(socket, weights.encoded())) == ClusterProtocol.ErrorCode.unexpectedMessage.rawValue)
        // A proper join gets a Welcome with a shard and the weights.
        let join = Message.join(Join(protocolVersion: ClusterProtocol.version, workerName: "raw", host: "test", pid: 1))
        guard case .welcome(let welcome) = try exchange(socket, join.encoded()) else {
            Issue.record("no Welcome for a proper Join")
            return
        }
        #expect(welcome.shardImages.shape == [500, 784] && welcome.weights.count == 4)
        // Its first job.
        guard let frames = try socket.receive(timeoutMilliseconds: 10_000), case .weights(let job) = try Message.decode(frames[0]) else {
            Issue.record("no job after the Welcome")
            return
        }
        // Pushes for that job with the wrong shape, a NaN, and the wrong sample count.
        let wrongShape = try Tensor(name: "layer1.weight", shape: [3, 3], floats: [Float](repeating: 0, count: 9))
        var deltas = welcome.weights
        deltas[0] = wrongShape
        let bad = Push(workerID: welcome.workerID, baseVersion: job.version, deltas: deltas, sampleCount: job.batch, round: job.round)
        #expect(errorCode(try exchange(socket, Message.push(bad).encoded())) == ClusterProtocol.ErrorCode.invalidMessage.rawValue)
        var nan = [Float](repeating: 0, count: 10)
        nan[3] = .nan
        deltas = welcome.weights
        deltas[3] = try Tensor(name: "layer2.bias", shape: [10], floats: nan)
        let poisoned = Push(workerID: welcome.workerID, baseVersion: job.version, deltas: deltas, sampleCount: job.batch, round: job.round)
        var reply = try exchange(socket, Message.push(poisoned).encoded())
        // The round may already have been re-sent to us; skip jobs until the answer comes.
        while case .weights = reply { reply = try socket.receive(timeoutMilliseconds: 10_000).flatMap { try Message.decode($0[0]) } }
        #expect(errorCode(reply) == ClusterProtocol.ErrorCode.invalidMessage.rawValue)
        // The raw peer leaves; a real worker takes over the slot and trains to the end.
        _ = try? socket.send(Message.shutdown(Shutdown(reason: "test over")).encoded())
        let worker = try Spawned(["worker", "--connect", endpoint, "--quiet"], in: dir, label: "worker")
        #expect(coordinator.wait(seconds: 120) == 0, "coordinator: \(coordinator.stderr)")
        #expect(worker.wait(seconds: 15) == 0, "worker: \(worker.stderr)")
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(text.contains("\"event\":\"done\""))
    }
}
