import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// End-to-end tests of `plexus coordinator`, `worker` and `launch`: real processes on 127.0.0.1,
/// small synthetic data, every run bounded in time and every child killed on every path.
@Suite("plexus coordinator / worker / launch (multi-process)", .serialized)
struct ClusterCLITests {
    /// A small, fast run: 2000 synthetic samples, a 784-32-10 network, few inference steps.
    let small = ["--data", "synthetic:2000:300", "--layers", "784,32,10", "--steps", "8", "--quiet", "--align-every", "0"]

    /// Starts a coordinator on a free port; returns it with the address workers connect to.
    func startCoordinator(_ arguments: [String], in dir: URL, log: URL) throws -> (ClusterProcess, String) {
        let endpointFile = dir.appendingPathComponent("endpoint")
        let coordinator = try ClusterProcess(["coordinator", "--bind", "tcp://127.0.0.1:*", "--endpoint-file", endpointFile.path,
                                              "--metrics", log.path, "--join-timeout", "60"] + arguments,
                                             in: dir, label: "coordinator")
        guard let endpoint = ClusterTest.waitForLine(endpointFile, seconds: 30) else {
            throw TestFailure("the coordinator did not bind: \(coordinator.stderr)")
        }
        return (coordinator, endpoint)
    }

    func startWorkers(_ count: Int, endpoint: String, in dir: URL, extra: [String] = []) throws -> [ClusterProcess] {
        try (0..<count).map {
            try ClusterProcess(["worker", "--connect", endpoint, "--name", "w\($0)", "--quiet"] + extra, in: dir, label: "worker\($0)")
        }
    }

    func events(_ records: [[String: Any]], _ event: String) -> [[String: Any]] {
        records.filter { $0["event"] as? String == event }
    }

    @Test("a coordinator and three workers train and write one aggregated log")
    func coordinatorAndWorkers() throws {
        let dir = CLIHarness.temporaryDirectory(), log = dir.appendingPathComponent("m.jsonl")
        let (coordinator, endpoint) = try startCoordinator(["--workers", "3", "--epochs", "2", "--batch", "60", "--worker-log-every", "5"] + small,
                                                           in: dir, log: log)
        let workers = try startWorkers(3, endpoint: endpoint, in: dir)
        #expect(coordinator.wait(seconds: 120) == 0, "coordinator: \(coordinator.stderr)")
        for w in workers { #expect(w.wait(seconds: 15) == 0, "worker: \(w.stderr)") }
        let records = ClusterTest.records(log)
        let start = try #require(records.first)
        #expect(start["event"] as? String == "start" && start["workers"] as? Int == 3 && start["mode"] as? String == "sync")
        #expect(Set(events(records, "join").compactMap { $0["name"] as? String }) == ["w0", "w1", "w2"])
        let rounds = events(records, "round")
        #expect(rounds.count >= 60, "2 epochs of 2000 samples at 60 per round")
        for r in rounds {
            for key in ["round", "version", "workers", "samples", "round_ms", "bytes_in", "bytes_out", "stale_rejected", "transport_volume"] {
                #expect(r[key] != nil, "round record lacks \(key)")
            }
            #expect(r["version"] as? Int == r["round"] as? Int && r["samples"] as? Int == 60 && r["workers"] as? Int == 3)
            // il transports W_2 (10 × 32) on every update.
            #expect(r["transport_volume"] as? Int == 320)
        }
        let evals = events(records, "eval")
        #expect(evals.compactMap { $0["epoch"] as? Int } == [1, 2])
        #expect(evals.allSatisfy { $0["round"] is Int && $0["test_accuracy"] is Double && $0["train_loss"] is Double })
        let workerRecords = events(records, "worker")
        #expect(Set(workerRecords.compactMap { $0["name"] as? String }) == ["w0", "w1", "w2"])
        #expect(workerRecords.allSatisfy { ($0["compute_ms"] as? Double ?? 0) > 0 && $0["loss"] is Double && $0["energy_before"] is Double
            && ($0["bytes_in"] as? Int ?? 0) > 0 })
        let done = try #require(records.last)
        #expect(done["event"] as? String == "done")
        #expect(done["rounds"] as? Int == rounds.count && done["workers"] as? Int == 3)
        let accuracy = try #require(done["test_accuracy"] as? Double)
        #expect(accuracy > 0.3, "accuracy \(accuracy)")
        #expect((done["samples_per_second"] as? Double ?? 0) > 0)
    }

    @Test("async: pushes more than S versions stale are rejected, counted and logged; training goes on")
    func asyncStaleness() throws {
        let dir = CLIHarness.temporaryDirectory(), log = dir.appendingPathComponent("m.jsonl")
        let (coordinator, endpoint) = try startCoordinator(["--workers", "3", "--mode", "async", "--staleness", "0", "--epochs", "5",
                                                            "--max-rounds", "60", "--batch", "20"] + small, in: dir, log: log)
        let workers = try startWorkers(3, endpoint: endpoint, in: dir)
        #expect(coordinator.wait(seconds: 120) == 0, "coordinator: \(coordinator.stderr)")
        for w in workers { #expect(w.wait(seconds: 15) == 0, "worker: \(w.stderr)") }
        let records = ClusterTest.records(log)
        let stale = events(records, "stale")
        #expect(!stale.isEmpty, "three workers with staleness 0 must collide")
        #expect(stale.allSatisfy { ($0["staleness"] as? Int ?? 0) > 0 && $0["bound"] as? Int == 0 })
        let rounds = events(records, "round")
        #expect(rounds.allSatisfy { $0["max_staleness"] as? Int == 0 }, "an applied push was stale")
        #expect(rounds.reduce(0) { $0 + ($1["stale_rejected"] as? Int ?? 0) } == stale.count)
        let done = try #require(records.last)
        #expect(done["event"] as? String == "done" && done["version"] as? Int == 60 && done["stale_rejected"] as? Int == stale.count)
    }

    @Test("with --quorum 2 of 3 each round aggregates two pushes")
    func quorum() throws {
        let dir = CLIHarness.temporaryDirectory(), log = dir.appendingPathComponent("m.jsonl")
        let (coordinator, endpoint) = try startCoordinator(["--workers", "3", "--quorum", "2", "--epochs", "1", "--batch", "60",
                                                            "--max-rounds", "20"] + small, in: dir, log: log)
        let workers = try startWorkers(3, endpoint: endpoint, in: dir)
        #expect(coordinator.wait(seconds: 120) == 0, "coordinator: \(coordinator.stderr)")
        for w in workers { #expect(w.wait(seconds: 15) == 0, "worker: \(w.stderr)") }
        let rounds = events(ClusterTest.records(log), "round")
        #expect(rounds.count == 20)
        #expect(rounds.allSatisfy { $0["workers"] as? Int == 2 }, "\(rounds.map { $0["workers"] ?? "?" })")
    }

    @Test("a worker that dies is dropped after its heartbeat timeout and the run completes without it")
    func deadWorker() throws {
        let dir = CLIHarness.temporaryDirectory(), log = dir.appendingPathComponent("m.jsonl")
        let (coordinator, endpoint) = try startCoordinator(["--workers", "3", "--epochs", "3", "--batch", "60", "--heartbeat-timeout", "3"] + small,
                                                           in: dir, log: log)
        let workers = try startWorkers(3, endpoint: endpoint, in: dir)
        _ = ClusterTest.waitForRecords(log, event: "round", count: 3, seconds: 60)
        workers[2].kill()
        #expect(coordinator.wait(seconds: 120) == 0, "coordinator: \(coordinator.stderr)")
        for w in workers.prefix(2) { #expect(w.wait(seconds: 15) == 0, "worker: \(w.stderr)") }
        let records = ClusterTest.records(log)
        let leave = try #require(events(records, "leave").first { $0["name"] as? String == "w2" })
        #expect((leave["reason"] as? String ?? "").contains("silent"))
        #expect(records.last?["event"] as? String == "done")
        #expect(events(records, "round").last?["workers"] as? Int == 2)
    }

    @Test("the round deadline keeps a stalled worker from stalling the run; its late push is dropped")
    func roundDeadline() throws {
        let dir = CLIHarness.temporaryDirectory(), log = dir.appendingPathComponent("m.jsonl")
        let (coordinator, endpoint) = try startCoordinator(["--workers", "3", "--epochs", "100", "--batch", "60", "--round-timeout", "1",
                                                            "--heartbeat-timeout", "120"] + small, in: dir, log: log)
        let workers = try startWorkers(3, endpoint: endpoint, in: dir)
        // Stop a worker as soon as all have joined, so the stall falls inside the run even when a
        // fast release binary finishes the whole run in a second.
        _ = ClusterTest.waitForRecords(log, event: "join", count: 3, seconds: 60)
        workers[2].signal(SIGSTOP)
        _ = ClusterTest.waitForRecords(log, event: "round", count: 20, seconds: 60)
        workers[2].signal(SIGCONT)
        #expect(coordinator.wait(seconds: 120) == 0, "coordinator: \(coordinator.stderr)")
        let records = ClusterTest.records(log)
        let rounds = events(records, "round")
        #expect(rounds.contains { $0["deadline"] as? Bool == true }, "no round closed at its deadline")
        #expect(rounds.filter { $0["workers"] as? Int == 2 }.count >= 10, "rounds went on without the stalled worker")
        #expect(events(records, "leave").isEmpty && records.last?["event"] as? String == "done")
    }

    @Test("a worker started before its coordinator keeps trying and joins")
    func workerFirst() throws {
        let dir = CLIHarness.temporaryDirectory(), log = dir.appendingPathComponent("m.jsonl")
        let port = ClusterTest.freePort()
        let endpoint = "tcp://127.0.0.1:\(port)"
        let workers = try startWorkers(2, endpoint: endpoint, in: dir, extra: ["--connect-timeout", "60"])
        usleep(1_500_000)
        #expect(workers.allSatisfy { $0.process.isRunning }, "workers must wait for the coordinator")
        let coordinator = try ClusterProcess(["coordinator", "--bind", endpoint, "--workers", "2", "--epochs", "1", "--batch", "100",
                                              "--metrics", log.path] + small, in: dir, label: "coordinator")
        #expect(coordinator.wait(seconds: 120) == 0, "coordinator: \(coordinator.stderr)")
        for w in workers { #expect(w.wait(seconds: 15) == 0, "worker: \(w.stderr)") }
        #expect(events(ClusterTest.records(log), "join").count == 2)
    }

    @Test("workers rejoin a coordinator that was restarted on the same address")
    func coordinatorRestart() throws {
        let dir = CLIHarness.temporaryDirectory(), log = dir.appendingPathComponent("m.jsonl")
        let endpoint = "tcp://127.0.0.1:\(ClusterTest.freePort())"
        let first = try ClusterProcess(["coordinator", "--bind", endpoint, "--workers", "2", "--epochs", "50",
                                        "--metrics", dir.appendingPathComponent("first.jsonl").path] + small, in: dir, label: "first")
        let workers = try startWorkers(2, endpoint: endpoint, in: dir)
        _ = ClusterTest.waitForRecords(dir.appendingPathComponent("first.jsonl"), event: "round", count: 3, seconds: 60)
        first.kill()
        let second = try ClusterProcess(["coordinator", "--bind", endpoint, "--workers", "2", "--epochs", "1", "--batch", "100",
                                         "--metrics", log.path] + small, in: dir, label: "second")
        #expect(second.wait(seconds: 120) == 0, "coordinator: \(second.stderr)")
        for w in workers { #expect(w.wait(seconds: 15) == 0, "worker: \(w.stderr)") }
        #expect(Set(events(ClusterTest.records(log), "join").compactMap { $0["name"] as? String }) == ["w0", "w1"])
    }

    @Test("a worker that cannot reach its coordinator gives up after --connect-timeout and says so")
    func connectTimeout() throws {
        let dir = CLIHarness.temporaryDirectory()
        let worker = try ClusterProcess(["worker", "--connect", "tcp://127.0.0.1:\(ClusterTest.freePort())", "--connect-timeout", "1"],
                                        in: dir, label: "worker")
        let status = worker.wait(seconds: 20)
        #expect(status == 1)
        #expect(worker.stderr.contains("cannot reach the coordinator") && worker.stderr.contains("--connect-timeout"), "\(worker.stderr)")
        #expect(worker.stderr.split(separator: "\n").count == 1)
    }

    @Test("a worker speaking another protocol version is refused with both sides' versions")
    func protocolMismatch() throws {
        let dir = CLIHarness.temporaryDirectory(), log = dir.appendingPathComponent("m.jsonl")
        let (coordinator, endpoint) = try startCoordinator(["--workers", "1", "--epochs", "1", "--batch", "200"] + small, in: dir, log: log)
        let stranger = try ClusterProcess(["worker", "--connect", endpoint, "--protocol-version", "9", "--name", "old"], in: dir, label: "old")
        #expect(stranger.wait(seconds: 30) == 1)
        #expect(stranger.stderr.contains("protocol version mismatch") && stranger.stderr.contains("speaks protocol 1")
            && stranger.stderr.contains("speaks 9"), "\(stranger.stderr)")
        let workers = try startWorkers(1, endpoint: endpoint, in: dir)
        #expect(coordinator.wait(seconds: 120) == 0, "coordinator: \(coordinator.stderr)")
        for w in workers { #expect(w.wait(seconds: 15) == 0) }
        #expect(events(ClusterTest.records(log), "refused").first?["name"] as? String == "old")
    }

    @Test("launch trains with N workers, saves a checkpoint, and leaves no process behind")
    func launchLeavesNothing() throws {
        let dir = CLIHarness.temporaryDirectory(), log = dir.appendingPathComponent("m.jsonl")
        let ckpt = dir.appendingPathComponent("c.ckpt")
        let launch = try ClusterProcess(["launch", "--workers", "2", "--epochs", "1", "--batch", "100", "--metrics", log.path,
                                         "--save", ckpt.path] + small, in: dir, label: "launch")
        let status = launch.wait(seconds: 120)
        let pids = events(ClusterTest.records(log), "join").compactMap { ($0["pid"] as? Int).map(Int32.init) }
        defer { ClusterTest.killAll(pids) }
        #expect(status == 0, "launch: \(launch.stderr)")
        #expect(pids.count == 2)
        #expect(ClusterTest.survivors(pids, seconds: 2).isEmpty)
        #expect(FileManager.default.fileExists(atPath: ckpt.path))
        #expect(launch.stdout.contains("done:") && launch.stdout.contains("saved checkpoint"))
        #expect(ClusterTest.records(log).last?["event"] as? String == "done")
    }

    @Test("Ctrl-C stops launch and every worker", arguments: [SIGINT, SIGTERM])
    func launchInterrupted(_ signal: Int32) throws {
        let dir = CLIHarness.temporaryDirectory(), log = dir.appendingPathComponent("m.jsonl")
        let launch = try ClusterProcess(["launch", "--workers", "2", "--epochs", "500", "--metrics", log.path] + small,
                                        in: dir, label: "launch")
        let joins = ClusterTest.waitForRecords(log, event: "join", count: 2, seconds: 60) ?? []
        let pids = joins.compactMap { ($0["pid"] as? Int).map(Int32.init) }
        defer { ClusterTest.killAll(pids) }
        #expect(pids.count == 2)
        _ = ClusterTest.waitForRecords(log, event: "round", count: 2, seconds: 60)
        launch.signal(signal)
        let status = launch.wait(seconds: 15)
        #expect(status == 128 + signal, "launch: \(launch.stderr)")
        #expect(ClusterTest.survivors(pids, seconds: 5).isEmpty)
        #expect(ClusterTest.records(log).last?["event"] as? String == "stopped")
    }

    @Test("workers of a launch that is killed outright exit by themselves")
    func launchKilled() throws {
        let dir = CLIHarness.temporaryDirectory(), log = dir.appendingPathComponent("m.jsonl")
        let launch = try ClusterProcess(["launch", "--workers", "2", "--epochs", "500", "--metrics", log.path] + small,
                                        in: dir, label: "launch")
        let pids = (ClusterTest.waitForRecords(log, event: "join", count: 2, seconds: 60) ?? []).compactMap { ($0["pid"] as? Int).map(Int32.init) }
        defer { ClusterTest.killAll(pids) }
        #expect(pids.count == 2)
        launch.kill()
        #expect(ClusterTest.survivors(pids, seconds: 5).isEmpty)
    }

    @Test("local steps and bf16 compression: twice the samples per round, about half the bytes")
    func localStepsAndCompression() throws {
        let dir = CLIHarness.temporaryDirectory()
        func run(_ extra: [String], _ name: String) throws -> [[String: Any]] {
            let log = dir.appendingPathComponent("\(name).jsonl")
            let launch = try ClusterProcess(["launch", "--workers", "2", "--epochs", "1", "--batch", "100", "--max-rounds", "8",
                                             "--metrics", log.path] + small + extra, in: dir, label: name)
            #expect(launch.wait(seconds: 120) == 0, "\(name): \(launch.stderr)")
            return events(ClusterTest.records(log), "round")
        }
        let plain = try run([], "plain")
        let packed = try run(["--local-steps", "2", "--compress", "bf16"], "packed")
        #expect(plain.count == 8 && packed.count == 8)
        #expect(packed.allSatisfy { $0["samples"] as? Int == 200 } && plain.allSatisfy { $0["samples"] as? Int == 100 })
        func bytes(_ rounds: [[String: Any]]) -> Double {
            Double(rounds.dropFirst().reduce(0) { $0 + ($1["bytes_in"] as? Int ?? 0) + ($1["bytes_out"] as? Int ?? 0) })
        }
        let ratio = bytes(packed) / bytes(plain)
        #expect(ratio > 0.4 && ratio < 0.6, "bf16 traffic ratio \(ratio)")
    }

    @Test("launch --hostfile starts workers through ssh (a stand-in ssh that runs them here)")
    func hostfileLaunch() throws {
        let dir = CLIHarness.temporaryDirectory(), log = dir.appendingPathComponent("m.jsonl")
        let ssh = dir.appendingPathComponent("fake-ssh"), hosts = dir.appendingPathComponent("hosts")
        try "#!/bin/sh\n# Stand-in for ssh: drop the options and the host, run the command here.\nwhile [ \"$1\" = \"-o\" ]; do shift 2; done\nshift\nexec sh -c \"$*\"\n"
            .write(to: ssh, atomically: true, encoding: .utf8)
        chmod(ssh.path, 0o755)
        try "# two remote hosts\nnode-a slots=1\nnode-b slots=1\n".write(to: hosts, atomically: true, encoding: .utf8)
        let launch = try ClusterProcess(["launch", "--hostfile", hosts.path, "--ssh", ssh.path, "--remote-plexus", CLIHarness.binary,
                                         "--insecure", "--advertise", "127.0.0.1", "--epochs", "1", "--batch", "100", "--max-rounds", "5",
                                         "--metrics", log.path] + small, in: dir, label: "launch")
        #expect(launch.wait(seconds: 120) == 0, "launch: \(launch.stderr)")
        let records = ClusterTest.records(log)
        let pids = events(records, "join").compactMap { ($0["pid"] as? Int).map(Int32.init) }
        defer { ClusterTest.killAll(pids) }
        #expect(Set(events(records, "join").compactMap { $0["name"] as? String }) == ["node-a-0", "node-b-1"])
        #expect(records.first?["bind"] as? String ?? "" != "" && records.last?["event"] as? String == "done")
        #expect(ClusterTest.survivors(pids, seconds: 5).isEmpty)
    }

    @Test("CURVE: an authorised worker trains, a stranger's key and a plaintext worker are refused with a reason")
    func curve() throws {
        let dir = CLIHarness.temporaryDirectory(), log = dir.appendingPathComponent("m.jsonl")
        let keys = dir.appendingPathComponent("keys").path
        for (name, sub) in [("coordinator", "c"), ("w0", "workers"), ("stranger", "others")] {
            let r = try CLIHarness.run(["keygen", name, "--dir", "\(keys)/\(sub)"], timeout: 30)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let (coordinator, endpoint) = try startCoordinator(["--workers", "1", "--epochs", "1", "--batch", "200",
                                                            "--curve-secret", "\(keys)/c/coordinator.key", "--authorized-keys", "\(keys)/workers"] + small,
                                                           in: dir, log: log)
        let serverKey = ["--coordinator-key", "\(keys)/c/coordinator.pub"]
        let stranger = try ClusterProcess(["worker", "--connect", endpoint, "--connect-timeout", "2", "--curve-secret", "\(keys)/others/stranger.key"]
                                          + serverKey, in: dir, label: "stranger")
        let plain = try ClusterProcess(["worker", "--connect", endpoint, "--connect-timeout", "2"], in: dir, label: "plain")
        #expect(stranger.wait(seconds: 30) == 1 && stranger.stderr.contains("refused this worker's CURVE key"), "\(stranger.stderr)")
        #expect(plain.wait(seconds: 30) == 1 && plain.stderr.contains("handshake failed"), "\(plain.stderr)")
        let worker = try ClusterProcess(["worker", "--connect", endpoint, "--quiet", "--curve-secret", "\(keys)/workers/w0.key"] + serverKey,
                                        in: dir, label: "worker")
        #expect(coordinator.wait(seconds: 120) == 0, "coordinator: \(coordinator.stderr)")
        #expect(worker.wait(seconds: 15) == 0, "worker: \(worker.stderr)")
        #expect(events(ClusterTest.records(log), "join").count == 1)
        // Both attempts are in the log: the unlisted key (ZAP) and the plaintext peer (handshake).
        let refused = events(ClusterTest.records(log), "refused")
        #expect(refused.contains { $0["key"] is String } && refused.contains { ($0["reason"] as? String)?.contains("handshake failed") == true },
                "\(refused)")
    }

    @Test("multi-host: coordinator and workers in separate network namespaces, one cut off mid-run (Cluster/netns-test.sh)",
          .enabled(if: getuid() == 0, "needs root to create network namespaces"))
    func networkNamespaces() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Cluster/netns-test.sh").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script]
        var env = ProcessInfo.processInfo.environment
        env["PLEXUS_BIN"] = CLIHarness.binary
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        if text.contains("SKIPPED") {
            print("plexus cluster tests: \(text.split(separator: "\n").last ?? "")")
        } else {
            #expect(text.contains("PASSED"), "\(text)")
        }
    }

    @Test("usage errors are one line: public bind without --insecure, worker without an address")
    func usageErrors() throws {
        let bind = try CLIHarness.run(["coordinator", "--bind", "tcp://0.0.0.0:5999", "--data", "synthetic:100:10"], timeout: 30)
        #expect(bind.status == 1 && bind.stderr.contains("--insecure") && bind.stderr.split(separator: "\n").count == 1, "\(bind.stderr)")
        let worker = try CLIHarness.run(["worker"], timeout: 30, environment: ["PLEXUS_COORDINATOR": ""])
        #expect(worker.status == 2 && worker.stderr.contains("PLEXUS_COORDINATOR"), "\(worker.stderr)")
        let help = try CLIHarness.run(["launch", "--help"], timeout: 30)
        #expect(help.status == 0 && ["--workers", "--hostfile", "--port", "--quorum", "--staleness", "--local-steps", "--compress", "--epochs"]
            .allSatisfy { help.stdout.contains($0) })
        let quorum = try CLIHarness.run(["launch", "--workers", "2", "--quorum", "3"], timeout: 30)
        #expect(quorum.status != 0 && quorum.stderr.contains("--quorum"), "\(quorum.stderr)")
    }
}

/// A failed precondition of a test, with its reason.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
