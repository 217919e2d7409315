import Foundation
import PlexusCluster
import PlexusWire
import Testing

/// Every kind of bad input from the issue, sent from raw ZeroMQ sockets to a running coordinator:
/// each is refused (with an `Error` where a reply makes sense) and counted, the weights stay
/// untouched, and a normal run on the same coordinator then ends bit-identical to an undisturbed one.
extension HostilePeerTests {
    /// The coordinator both runs use: one worker slot, a tiny network, one epoch.
    static let run = ["--workers", "1", "--data", "synthetic:500:50", "--layers", "784,16,10", "--steps", "4", "--epochs", "1",
                      "--batch", "100", "--quiet", "--join-timeout", "60"]

    /// Starts a coordinator in `dir` saving its final checkpoint to `save`; returns it and its address.
    func startCoordinator(in dir: URL, log: URL, save: URL) throws -> (Spawned, String) {
        let endpointFile = dir.appendingPathComponent("endpoint")
        try? FileManager.default.removeItem(at: endpointFile)
        let coordinator = try Spawned(["coordinator", "--bind", "tcp://127.0.0.1:*", "--endpoint-file", endpointFile.path,
                                       "--metrics", log.path, "--save", save.path] + Self.run, in: dir, label: "coordinator")
        let endpoint = try #require(TestFiles.waitForText(endpointFile, seconds: 30), "coordinator: \(coordinator.stderr)")
        return (coordinator, endpoint.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A raw DEALER connected to `endpoint`.
    func rawSocket(_ context: ZMQContext, _ endpoint: String) throws -> ZMQSocket {
        let socket = try ZMQSocket(context: context, kind: .dealer)
        try socket.set(.maxMessageSize, 1 << 30)
        try socket.connect(endpoint)
        return socket
    }

    /// Sends `bytes` and returns the first `Error` code that comes back within 10 s, skipping the
    /// jobs (`Weights`) that arrive meanwhile; the latest job is kept in `job`.
    func errorReply(_ socket: ZMQSocket, _ bytes: [UInt8], job: inout Weights?) throws -> Int? {
        try socket.send(bytes)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            guard let frames = try socket.receive(timeoutMilliseconds: 1000), frames.count == 1 else { continue }
            switch try Message.decode(frames[0]) {
            case .error(let e): return e.code
            case .weights(let w): job = w
            default: continue
            }
        }
        return nil
    }

    /// Waits up to 10 s for a new job (the round is sent again after a refused push).
    func nextJob(_ socket: ZMQSocket) throws -> Weights? {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            guard let frames = try socket.receive(timeoutMilliseconds: 1000), frames.count == 1 else { continue }
            if case .weights(let w) = try Message.decode(frames[0]) { return w }
        }
        return nil
    }

    @Test("random, empty, truncated, oversized, out-of-turn and malformed messages and a Join flood are refused and counted; the weights stay untouched")
    func everyBadInput() throws {
        let dir = TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // The undisturbed run.
        let referenceSave = dir.appendingPathComponent("reference.ckpt")
        do {
            let (coordinator, endpoint) = try startCoordinator(in: dir, log: dir.appendingPathComponent("reference.jsonl"), save: referenceSave)
            let worker = try Spawned(["worker", "--connect", endpoint, "--name", "w0", "--quiet"], in: dir, label: "reference-worker")
            #expect(coordinator.wait(seconds: 120) == 0, "coordinator: \(coordinator.stderr)")
            #expect(worker.wait(seconds: 15) == 0, "worker: \(worker.stderr)")
        }

        let log = dir.appendingPathComponent("m.jsonl"), save = dir.appendingPathComponent("attacked.ckpt")
        let (coordinator, endpoint) = try startCoordinator(in: dir, log: log, save: save)
        let context = try ZMQContext()
        let socket = try rawSocket(context, endpoint)
        defer { socket.close() }
        let invalid = ClusterProtocol.ErrorCode.invalidMessage.rawValue
        var job: Weights?

        // Before joining: random bytes, an empty message, a truncated protobuf, a push, a coordinator-only message.
        var generator = SystemRandomNumberGenerator()
        let random = (0..<256).map { _ in UInt8.random(in: 0...255, using: &generator) }
        #expect(try errorReply(socket, random, job: &job) != nil, "random bytes")
        #expect(try errorReply(socket, [], job: &job) == invalid, "empty message")
        let somePush = Message.push(Push(workerID: 0, baseVersion: 0, deltas: [try Tensor(name: "layer1.weight", shape: [16, 784],
                                                                                          floats: [Float](repeating: 1, count: 16 * 784))],
                                         sampleCount: 100, round: 1)).encoded()
        #expect(try errorReply(socket, Array(somePush.prefix(somePush.count / 2)), job: &job) == invalid, "truncated protobuf")
        #expect(try errorReply(socket, somePush, job: &job) == ClusterProtocol.ErrorCode.notJoined.rawValue, "push before joining")
        #expect(try errorReply(socket, Message.weights(Weights(version: 0, tensors: [])).encoded(), job: &job)
            == ClusterProtocol.ErrorCode.unexpectedMessage.rawValue)

        // A frame over the coordinator's ZMQ_MAXMSGSIZE: that connection is dropped, nothing else happens.
        do {
            let big = try rawSocket(context, endpoint)
            defer { big.close() }
            try big.send([UInt8](repeating: 0x0A, count: 8 << 20))
            #expect(try big.receive(timeoutMilliseconds: 1000) == nil, "an oversized frame got an answer")
        }

        // Join; then a flood of Joins from the same connection, and strangers while the run is full.
        let join = Message.join(Join(protocolVersion: ClusterProtocol.version, workerName: "raw", host: "test", pid: 1))
        try socket.send(join.encoded())
        var welcome: Welcome?
        let joinDeadline = Date().addingTimeInterval(10)
        while welcome == nil && Date() < joinDeadline {
            if let frames = try socket.receive(timeoutMilliseconds: 1000), case .welcome(let w) = try Message.decode(frames[0]) { welcome = w }
        }
        let joined = try #require(welcome, "no Welcome for a proper Join")
        for i in 0..<50 {
            let flood = Message.join(Join(protocolVersion: ClusterProtocol.version, workerName: i % 2 == 0 ? "raw" : "raw\(i)", host: "test", pid: 1))
            #expect(try errorReply(socket, flood.encoded(), job: &job) == ClusterProtocol.ErrorCode.joinRefused.rawValue, "join \(i) of the flood")
        }
        for i in 0..<5 {
            let stranger = try rawSocket(context, endpoint)
            defer { stranger.close() }
            let other = Message.join(Join(protocolVersion: ClusterProtocol.version, workerName: "stranger\(i)", host: "test", pid: 2))
            var unused: Weights?
            #expect(try errorReply(stranger, other.encoded(), job: &unused) == ClusterProtocol.ErrorCode.runFull.rawValue)
        }

        // Pushes for a real job that are wrong in every way the issue lists; each is answered with
        // an error, and the round is sent again.
        let good = joined.weights.filter { !$0.name.hasSuffix(".feedback") }
        // A refused push frees the worker for the round sent next; one refused before it is looked
        // at (a wrong worker id) leaves the job open.
        func push(keepsJob: Bool = false, _ change: (inout Push) throws -> Void) throws -> Int? {
            let current = try #require(try job ?? nextJob(socket), "no job")
            job = nil
            var p = Push(workerID: joined.workerID, baseVersion: current.version, deltas: good, sampleCount: current.batch, round: current.round)
            try change(&p)
            let code = try errorReply(socket, Message.push(p).encoded(), job: &job)
            if keepsJob && job == nil { job = current }
            return code
        }
        #expect(try push { $0.deltas.removeLast() } == invalid, "wrong tensor count")
        #expect(try push { $0.deltas[0] = try Tensor(name: "layer1.weight", shape: [3, 3], floats: [Float](repeating: 0, count: 9)) } == invalid,
                "wrong shape")
        #expect(try push { $0.deltas[1] = try Tensor(name: "layer1.bias", shape: [16], u8: [UInt8](repeating: 0, count: 16)) } == invalid,
                "wrong dtype")
        for bad in [Float.nan, .infinity, -.infinity] {
            var values = [Float](repeating: 0, count: 10)
            values[3] = bad
            #expect(try push { $0.deltas[3] = try Tensor(name: "layer2.bias", shape: [10], floats: values) } == invalid, "\(bad)")
        }
        #expect(try push(keepsJob: true) { $0.workerID = 77 } == invalid, "unknown worker id")
        #expect(try push { $0.baseVersion = 1_000_000 } == invalid, "version from the future")
        #expect(try push { $0.sampleCount = 1 << 30 } == invalid, "wrong sample count")

        // The weights were never touched: the coordinator is still at version 0.
        var version: Int?
        try socket.send(Message.heartbeat(Heartbeat(workerID: joined.workerID, version: 0)).encoded())
        let beatDeadline = Date().addingTimeInterval(10)
        while version == nil && Date() < beatDeadline {
            if let frames = try socket.receive(timeoutMilliseconds: 1000), case .heartbeat(let h) = try Message.decode(frames[0]) { version = h.version }
        }
        #expect(version == 0)

        // The raw peer leaves; a normal worker trains to the end, exactly as without the attack.
        try socket.send(Message.shutdown(Shutdown(reason: "test over")).encoded())
        let worker = try Spawned(["worker", "--connect", endpoint, "--name", "w0", "--quiet"], in: dir, label: "worker")
        #expect(coordinator.wait(seconds: 120) == 0, "coordinator: \(coordinator.stderr)")
        #expect(worker.wait(seconds: 15) == 0, "worker: \(worker.stderr)")
        #expect(try Data(contentsOf: save) == Data(contentsOf: referenceSave), "the attacked run's final weights differ from the undisturbed run's")

        let text = try String(contentsOf: log, encoding: .utf8)
        let done = try #require(text.split(separator: "\n").last.flatMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        })
        #expect(done["event"] as? String == "done")
        let rejected = done["rejected"] as? [String: Int] ?? [:]
        for kind in ["undecodable", "not_joined", "unexpected_message", "join_rate", "join_full", "invalid_push", "wrong_worker_id",
                     "wrong_version_or_count"] {
            #expect((rejected[kind] ?? 0) > 0, "no \(kind) counted: \(rejected)")
        }
        #expect(rejected["join_rate"] == 50 && rejected["join_full"] == 5, "\(rejected)")
        #expect((done["invalid"] as? Int ?? 0) >= 69, "3 undecodable, 2 out of turn, 55 joins, 9 pushes")
    }
}
