import Foundation
import PlexusWire
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Fault tests: real processes killed with SIGKILL in the middle of rounds. The run must finish,
/// its log must stay consistent (rounds strictly increasing, every applied push counted once) and
/// it must end where an undisturbed run ends.
extension ClusterCLITests {
    /// Checks the log of a finished run: rounds strictly increasing, the samples of the `round`
    /// records adding up to those of `done`, and `done` last. Returns the `done` record.
    @discardableResult
    func expectConsistentLog(_ records: [[String: Any]], sourceLocation: SourceLocation = #_sourceLocation) -> [String: Any]? {
        let rounds = events(records, "round").compactMap { $0["round"] as? Int }
        #expect(!rounds.isEmpty, "no round records", sourceLocation: sourceLocation)
        let increasing = zip(rounds, rounds.dropFirst()).allSatisfy { $0 < $1 }
        #expect(increasing, "round numbers not strictly increasing: \(rounds)", sourceLocation: sourceLocation)
        guard let done = records.last, done["event"] as? String == "done" else {
            Issue.record("the log does not end with done: \(records.last ?? [:])", sourceLocation: sourceLocation)
            return nil
        }
        let pushed = events(records, "round").reduce(0) { $0 + ($1["samples"] as? Int ?? 0) }
        #expect(pushed == done["samples"] as? Int, "round samples add up to \(pushed), done says \(done["samples"] ?? "?")",
                sourceLocation: sourceLocation)
        #expect(rounds.last == done["rounds"] as? Int, sourceLocation: sourceLocation)
        return done
    }

    /// Waits up to `seconds` for a record of `event` that satisfies `match`. Only complete lines
    /// not seen before are parsed on each pass, so a fast-growing log is followed without lag.
    func waitForRecord(_ log: URL, event: String, seconds: Double, where match: ([String: Any]) -> Bool) -> [String: Any]? {
        let deadline = Date().addingTimeInterval(seconds)
        let marker = Data("\"event\":\"\(event)\"".utf8)
        var parsed = 0
        while Date() < deadline {
            if let data = try? Data(contentsOf: log), let end = data.lastIndex(of: UInt8(ascii: "\n")), end >= parsed {
                for line in data[parsed...end].split(separator: UInt8(ascii: "\n")) where line.range(of: marker) != nil {
                    if let record = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any], match(record) { return record }
                }
                parsed = end + 1
            }
            usleep(10_000)
        }
        return nil
    }

    @Test("a coordinator killed mid-run resumes from its checkpoint: workers rejoin, no round counts twice, weights equal an undisturbed run's")
    func resumeAfterKill() throws {
        let dir = CLIHarness.temporaryDirectory()
        // Sync, every worker in every round, file order: the run is deterministic up to the
        // order of two-term sums, which is exact.
        let run = ["--workers", "2", "--epochs", "12", "--batch", "20", "--no-shuffle", "--lr", "0.01"] + small
        let reference = dir.appendingPathComponent("reference.ckpt"), referenceLog = dir.appendingPathComponent("reference.jsonl")
        let (undisturbed, referenceEndpoint) = try startCoordinator(run + ["--save", reference.path], in: dir, log: referenceLog)
        var workers = try startWorkers(2, endpoint: referenceEndpoint, in: dir)
        #expect(undisturbed.wait(seconds: 120) == 0, "coordinator: \(undisturbed.stderr)")
        for w in workers { #expect(w.wait(seconds: 15) == 0, "worker: \(w.stderr)") }

        let log = dir.appendingPathComponent("m.jsonl"), saved = dir.appendingPathComponent("resumed.ckpt")
        let checkpoints = dir.appendingPathComponent("checkpoints")
        let endpoint = "tcp://127.0.0.1:\(ClusterTest.freePort())"
        let first = try ClusterProcess(["coordinator", "--bind", endpoint, "--metrics", log.path, "--save", saved.path,
                                        "--checkpoint-every", "50", "--checkpoint-dir", checkpoints.path] + run,
                                       in: dir, label: "first")
        workers = try startWorkers(2, endpoint: endpoint, in: dir)
        let taken = waitForRecord(log, event: "checkpoint", seconds: 60) { ($0["round"] as? Int ?? 0) >= 100 }
        first.kill()
        try #require(taken != nil, "no second checkpoint: \(first.stderr)")
        let before = events(ClusterTest.records(log), "round").count
        #expect(first.process.terminationReason == .uncaughtSignal, "the first coordinator ended before the kill: \(first.stdout)")

        // Only --resume: the flags come from the checkpoint directory; the workers were left running.
        let second = try ClusterProcess(["coordinator", "--resume", checkpoints.path], in: dir, label: "second")
        #expect(second.wait(seconds: 120) == 0, "resumed coordinator: \(second.stderr)")
        for w in workers { #expect(w.wait(seconds: 15) == 0, "worker: \(w.stderr)") }

        let records = ClusterTest.records(log)
        let resume = try #require(events(records, "resume").first, "no resume record")
        let lastCheckpoint = events(records, "checkpoint").filter { ($0["round"] as? Int ?? 0) <= (resume["round"] as? Int ?? 0) }.last
        #expect(resume["round"] as? Int == lastCheckpoint?["round"] as? Int)
        #expect(events(records, "resume").count == 1 && events(records, "start").count == 1)
        #expect(resume["lost_rounds"] as? Int == before - (resume["round"] as? Int ?? 0),
                "\(before) rounds logged before the kill, resumed at \(resume)")
        let rejoined = records.drop { $0["event"] as? String != "resume" }.filter { $0["event"] as? String == "join" }
        #expect(Set(rejoined.compactMap { $0["name"] as? String }) == ["w0", "w1"])
        let done = expectConsistentLog(records)
        let referenceDone = ClusterTest.records(referenceLog).last
        #expect(done?["test_accuracy"] as? Double == referenceDone?["test_accuracy"] as? Double)
        // Weights, optimizer state and counters must be identical bit for bit; which worker name sits
        // in which slot depends on the order the workers happened to join, so names are not compared.
        let resumed = try CheckpointFile.read(from: saved.path), undisturbedCheckpoint = try CheckpointFile.read(from: reference.path)
        #expect(resumed.tensors == undisturbedCheckpoint.tensors, "the resumed run's final weights differ from the undisturbed run's")
        #expect(resumed.optimizerState == undisturbedCheckpoint.optimizerState, "the optimizer state differs")
        #expect(resumed.optimizerStep == undisturbedCheckpoint.optimizerStep && resumed.version == undisturbedCheckpoint.version
                && resumed.round == undisturbedCheckpoint.round)
        #expect(Set(resumed.workerNames) == Set(undisturbedCheckpoint.workerNames))
    }

    @Test("a resume from a missing or corrupt checkpoint is a clear one-line error")
    func resumeBadCheckpoint() throws {
        let dir = CLIHarness.temporaryDirectory()
        let missing = try CLIHarness.run(["coordinator", "--resume", dir.path] + small, timeout: 30)
        #expect(missing.status == 1 && missing.stderr.contains("no checkpoint.ckpt"), "\(missing.stderr)")
        try Data([0x08, 0x01, 0x12, 0x40, 0xFF]).write(to: dir.appendingPathComponent("checkpoint.ckpt"))
        let corrupt = try CLIHarness.run(["coordinator", "--resume", dir.path] + small, timeout: 30)
        #expect(corrupt.status == 1 && corrupt.stderr.contains("checkpoint") && !corrupt.stderr.contains("Fatal"), "\(corrupt.stderr)")
        #expect(corrupt.stderr.split(separator: "\n").count == 1)
    }

    @Test("a worker SIGKILLed mid-round leaves, is re-admitted to its slot, and the run ends within 1 point of an undisturbed one")
    func workerKilledAndReadmitted() throws {
        let dir = CLIHarness.temporaryDirectory()
        let run = ["--workers", "3", "--epochs", "12", "--batch", "60", "--lr", "0.01", "--heartbeat-timeout", "1",
                   "--data", "synthetic:2000:500", "--layers", "784,256,10", "--steps", "8", "--quiet", "--align-every", "0"]
        let referenceLog = dir.appendingPathComponent("reference.jsonl")
        let (undisturbed, referenceEndpoint) = try startCoordinator(run, in: dir, log: referenceLog)
        // Heartbeats every 0.2 s: a second of silence is a death, not a busy worker.
        let beat = ["--heartbeat", "0.2"]
        var workers = try startWorkers(3, endpoint: referenceEndpoint, in: dir, extra: beat)
        #expect(undisturbed.wait(seconds: 120) == 0, "coordinator: \(undisturbed.stderr)")
        for w in workers { #expect(w.wait(seconds: 15) == 0, "worker: \(w.stderr)") }
        let reference = try #require(ClusterTest.records(referenceLog).last?["test_accuracy"] as? Double)
        let totalRounds = try #require(ClusterTest.records(referenceLog).last?["rounds"] as? Int)

        let log = dir.appendingPathComponent("m.jsonl"), disturbed = dir.appendingPathComponent("disturbed")
        try FileManager.default.createDirectory(at: disturbed, withIntermediateDirectories: true)
        let (coordinator, endpoint) = try startCoordinator(run, in: disturbed, log: log)
        workers = try startWorkers(3, endpoint: endpoint, in: dir, extra: beat)
        // Half-way, so that the leave (a second of silence) and the re-admission fall inside the run.
        _ = waitForRecord(log, event: "round", seconds: 60) { ($0["round"] as? Int ?? 0) >= totalRounds / 2 }
        let victim = workers[2].pid
        workers[2].kill()
        let leave = waitForRecord(log, event: "leave", seconds: 30) { $0["name"] as? String == "w2" }
        #expect(leave != nil, "no leave for w2")
        workers[2] = try ClusterProcess(["worker", "--connect", endpoint, "--name", "w2", "--quiet"] + beat, in: dir, label: "worker2b")
        #expect(coordinator.wait(seconds: 120) == 0, "coordinator: \(coordinator.stderr)")
        for w in workers { #expect(w.wait(seconds: 15) == 0, "worker: \(w.stderr)") }

        let records = ClusterTest.records(log)
        let w2 = records.filter { $0["name"] as? String == "w2" && ["join", "leave"].contains($0["event"] as? String ?? "") }
        #expect(w2.map { $0["event"] as? String ?? "" } == ["join", "leave", "join"], "\(w2)")
        #expect(w2.compactMap { $0["worker"] as? Int }.allSatisfy { $0 == w2.first?["worker"] as? Int }, "w2 kept its slot")
        #expect(w2.first?["pid"] as? Int == Int(victim) && w2.last?["pid"] as? Int != Int(victim))
        let reason = leave?["reason"] as? String
        #expect(reason?.contains("silent") == true, "\(reason ?? "no leave")")
        let done = expectConsistentLog(records)
        let accuracy = try #require(done?["test_accuracy"] as? Double)
        #expect(abs(accuracy - reference) <= 0.01, "accuracy \(accuracy) after the kill, \(reference) undisturbed")
    }
}
