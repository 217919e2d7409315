import Foundation
import Testing

/// CURVE seen from the wire: what an eavesdropper between a worker and its coordinator sees.
extension ClusterCLITests {
    /// `plexus keygen NAME --dir DIR`.
    func keygen(_ name: String, in directory: String) throws {
        let r = try CLIHarness.run(["keygen", name, "--dir", directory], timeout: 30)
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// The port of `tcp://HOST:PORT`.
    func port(of endpoint: String) throws -> Int {
        try #require(endpoint.split(separator: ":").last.flatMap { Int($0) }, "no port in \(endpoint)")
    }

    @Test("on the wire: a plaintext run shows its weights to an eavesdropper, a CURVE run shows none; a wrong server key is refused and logged")
    func curveOnTheWire() throws {
        let dir = CLIHarness.temporaryDirectory(), keys = dir.appendingPathComponent("keys").path
        try keygen("coordinator", in: "\(keys)/c")
        try keygen("w0", in: "\(keys)/workers")
        try keygen("impostor", in: "\(keys)/others")
        let run = ["--workers", "1", "--epochs", "1", "--batch", "200"] + small
        let plainDir = dir.appendingPathComponent("plain"), curveDir = dir.appendingPathComponent("curve")
        for d in [plainDir, curveDir] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }

        // Plaintext, through the recorder: the initial weights (same seed in both runs) are visible.
        let (plain, plainEndpoint) = try startCoordinator(run, in: plainDir, log: plainDir.appendingPathComponent("m.jsonl"))
        let plainTap = try TCPRecorder(forwardingTo: try port(of: plainEndpoint))
        let plainWorker = try ClusterProcess(["worker", "--connect", "tcp://127.0.0.1:\(plainTap.port)", "--name", "w0", "--quiet"],
                                             in: plainDir, label: "worker")
        #expect(plain.wait(seconds: 120) == 0, "coordinator: \(plain.stderr)")
        #expect(plainWorker.wait(seconds: 15) == 0, "worker: \(plainWorker.stderr)")
        plainTap.stop()
        let seen = plainTap.bytes, name = Array("layer1.weight".utf8)
        let at = try #require(Data(seen).range(of: Data(name))?.lowerBound, "the plaintext capture shows no layer1.weight")
        try #require(seen.count >= at + 264)
        // 64 bytes well inside the tensor's data: Float32 weights of the fresh initialisation.
        let pattern = Array(seen[(at + 200)..<(at + 264)])
        #expect(Set(pattern).count > 16, "not weight data: \(pattern)")

        // CURVE: the same run, encrypted.
        let curveLog = curveDir.appendingPathComponent("m.jsonl")
        let (secured, endpoint) = try startCoordinator(run + ["--curve-secret", "\(keys)/c/coordinator.key", "--authorized-keys", "\(keys)/workers"],
                                                       in: curveDir, log: curveLog)
        // An authorised client key with the wrong server key gets no session.
        let misled = try ClusterProcess(["worker", "--connect", endpoint, "--connect-timeout", "2", "--curve-secret", "\(keys)/workers/w0.key",
                                         "--coordinator-key", "\(keys)/others/impostor.pub"], in: curveDir, label: "misled")
        #expect(misled.wait(seconds: 30) == 1, "a worker with the wrong server key: \(misled.stderr)")
        let tap = try TCPRecorder(forwardingTo: try port(of: endpoint))
        let worker = try ClusterProcess(["worker", "--connect", "tcp://127.0.0.1:\(tap.port)", "--name", "w0", "--quiet",
                                         "--curve-secret", "\(keys)/workers/w0.key", "--coordinator-key", "\(keys)/c/coordinator.pub"],
                                        in: curveDir, label: "worker")
        #expect(secured.wait(seconds: 120) == 0, "coordinator: \(secured.stderr)")
        #expect(worker.wait(seconds: 15) == 0, "worker: \(worker.stderr)")
        tap.stop()
        #expect(tap.bytes.count > seen.count / 2, "the encrypted run moved \(tap.bytes.count) bytes, the plaintext one \(seen.count)")
        #expect(!tap.saw(pattern), "weight bytes in the clear under CURVE")
        #expect(!tap.saw(name) && !tap.saw(Array("shard.images".utf8)), "tensor names in the clear under CURVE")
        let refused = events(ClusterTest.records(curveLog), "refused")
        #expect(refused.contains { ($0["reason"] as? String)?.contains("handshake failed") == true }, "\(refused)")
        #expect(events(ClusterTest.records(curveLog), "join").count == 1)
    }
}
