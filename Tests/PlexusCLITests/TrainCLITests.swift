import Foundation
import PlexusData
import PlexusLearning
import PlexusWire
import Testing

/// End-to-end tests of `plexus train`, `probe`, `verify` and `report`, run as a user would.
@Suite("plexus train / probe / verify (end to end)", .serialized)
struct TrainCLITests {
    let small = ["--data", "synthetic:800:300", "--layers", "784,48,10", "--batch", "50", "--steps", "8", "--quiet"]

    @Test("train writes per-epoch eval records, a done record and a loadable checkpoint", arguments: ["bp", "il", "pckp", "dfa"])
    func trainEndToEnd(rule: String) throws {
        let dir = CLIHarness.temporaryDirectory()
        let metrics = dir.appendingPathComponent("m.jsonl"), ckpt = dir.appendingPathComponent("c.ckpt")
        let args = ["train", "--rule", rule, "--epochs", "4", "--data", "synthetic:3000:500", "--layers", "784,48,10", "--batch", "50",
                    "--steps", "8", "--quiet"]
        let r = try CLIHarness.run(args + ["--metrics", metrics.path, "--save", ckpt.path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("test accuracy"))
        let records = try CLIHarness.records(metrics)
        let evals = records.filter { $0["event"] as? String == "eval" }
        #expect(evals.map { $0["epoch"] as? Int } == [1, 2, 3, 4])
        let done = try #require(records.last)
        #expect(done["event"] as? String == "done")
        let accuracy = try #require(done["test_accuracy"] as? Double)
        // Ten balanced classes: chance is 10 %; four epochs of any rule on the teacher set do far better.
        #expect(accuracy > 0.3 && accuracy <= 1, "\(rule) reached \(accuracy)")
        #expect(records.contains { $0["event"] as? String == "alignment" })
        let checkpoint = try CheckpointFile.read(from: ckpt.path)
        #expect(checkpoint.model.rule.rawValue == rule)
        #expect(checkpoint.tensor(named: "layer1.weight")?.shape == [48, 784])
    }

    @Test("training resumes from a checkpoint: --init reproduces its test accuracy at epoch 0")
    func initFromCheckpoint() throws {
        let dir = CLIHarness.temporaryDirectory()
        let ckpt = dir.appendingPathComponent("c.ckpt"), m1 = dir.appendingPathComponent("a.jsonl"), m2 = dir.appendingPathComponent("b.jsonl")
        let first = try CLIHarness.run(["train", "--rule", "bp", "--epochs", "2"] + small + ["--save", ckpt.path, "--metrics", m1.path])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let again = try CLIHarness.run(["train", "--rule", "bp", "--epochs", "0"] + small + ["--init", ckpt.path, "--metrics", m2.path])
        #expect(again.status == 0, "stderr: \(again.stderr)")
        let a = try #require(CLIHarness.records(m1).last?["test_accuracy"] as? Double)
        let b = try #require(CLIHarness.records(m2).last?["test_accuracy"] as? Double)
        #expect(abs(a - b) < 1e-9, "trained \(a), reloaded \(b)")
    }

    @Test("a checkpoint whose shapes do not match --layers is refused with the tensor's name")
    func checkpointShapeMismatch() throws {
        let dir = CLIHarness.temporaryDirectory()
        let ckpt = dir.appendingPathComponent("c.ckpt")
        #expect(try CLIHarness.run(["train", "--epochs", "1"] + small + ["--rule", "bp", "--save", ckpt.path]).status == 0)
        let r = try CLIHarness.run(["train", "--data", "synthetic:800:300", "--layers", "784,32,10", "--init", ckpt.path, "--quiet"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("layer1.weight") && r.stderr.contains("48×784"), "stderr: \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test("bad input gives a one-line error and a non-zero exit", arguments: [
        (["train", "--rule", "backprop"], "unknown rule 'backprop'"),
        (["train", "--activation", "swish"], "unknown activation 'swish'"),
        (["train", "--layers", "784,0,10"], "widths must be positive"),
        (["train", "--data", "idx:/nonexistent/plexus"], "/nonexistent/plexus"),
        (["train", "--data", "imagenet"], "imagenet"),
        (["train", "--batch", "x"], "whole number"),
        (["train", "--frobnicate"], "unknown option '--frobnicate'"),
        (["probe", "--init", "/nonexistent.ckpt", "--data", "synthetic:300:100"], "/nonexistent.ckpt"),
        (["nonsense"], "unknown command 'nonsense'"),
    ])
    func badInput(arguments: [String], message: String) throws {
        let r = try CLIHarness.run(arguments + ["--quiet"].filter { _ in arguments.first == "train" })
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
        #expect(r.stderr.hasPrefix("plexus: error:"))
        #expect(r.stderr.split(separator: "\n").count == 1, "stderr: \(r.stderr)")
    }

    @Test("a truncated IDX file is reported, not read short")
    func truncatedIDX() throws {
        let dir = CLIHarness.temporaryDirectory()
        let (train, test) = Dataset.synthetic(train: 200, test: 50, seed: 1)
        for (prefix, set) in [("train", train), ("t10k", test)] {
            try IDXArray(dimensions: [set.count, 28, 28], bytes: set.pixels).write(to: dir.appendingPathComponent("\(prefix)-images-idx3-ubyte.gz").path, compressed: true)
            try IDXArray(dimensions: [set.count], bytes: set.labels).write(to: dir.appendingPathComponent("\(prefix)-labels-idx1-ubyte.gz").path, compressed: true)
        }
        let ok = try CLIHarness.run(["train", "--data", "idx:\(dir.path)", "--epochs", "1", "--layers", "784,16,10", "--rule", "bp", "--quiet"])
        #expect(ok.status == 0, "stderr: \(ok.stderr)")
        let images = dir.appendingPathComponent("train-images-idx3-ubyte.gz")
        let bytes = try Data(contentsOf: images)
        try bytes.prefix(bytes.count / 2).write(to: images)
        let r = try CLIHarness.run(["train", "--data", "idx:\(dir.path)", "--epochs", "1", "--layers", "784,16,10", "--quiet"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("train-images-idx3-ubyte.gz") && r.stderr.contains("truncated"), "stderr: \(r.stderr)")
    }

    @Test("a NaN during training stops the run with an error instead of a silent wrong result")
    func divergence() throws {
        // A linear network under plain SGD with a huge step grows geometrically until it overflows.
        let r = try CLIHarness.run(["train", "--rule", "bp", "--epochs", "1", "--activation", "linear", "--energy", "se",
                                    "--optimizer", "sgd", "--lr", "10"] + small)
        #expect(r.status != 0)
        #expect(r.stderr.contains("diverged"), "stderr: \(r.stderr)")
    }

    @Test("probe writes every rule's update; Z-IL's equals BP's and both have cosine 1")
    func probe() throws {
        let dir = CLIHarness.temporaryDirectory()
        let out = dir.appendingPathComponent("p.pb")
        let r = try CLIHarness.run(["probe", "--data", "synthetic:400:100", "--layers", "784,32,24,10", "--batch", "40",
                                    "--batch-index", "2", "--precision", "f64", "--out", out.path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let probe = try ProbeResultFile.read(from: out.path)
        #expect(probe.updates.map(\.rule) == Rule.allCases)
        #expect(probe.batchIndex == 2 && probe.batchSize == 40)
        let bp = try #require(probe.updates.first { $0.rule == .bp }), zil = try #require(probe.updates.first { $0.rule == .zil })
        for (a, b) in zip(bp.tensors, zil.tensors) {
            #expect(a.name == b.name)
            let x = a.doubles(), y = b.doubles()
            let scale = y.map(abs).max() ?? 1
            #expect(zip(x, y).map { abs($0 - $1) }.max()! <= 1e-6 * scale)
        }
        #expect(zil.alignment.allSatisfy { abs($0.cosine - 1) < 1e-9 })
        let il = try #require(probe.updates.first { $0.rule == .il })
        #expect(il.alignment.allSatisfy { $0.cosine > 0.9 && $0.cosine <= 1 + 1e-12 }, "\(il.alignment)")
        #expect(il.energyAfter < il.energyBefore)
    }

    @Test("verify passes and prints its table")
    func verify() throws {
        let r = try CLIHarness.run(["verify"], timeout: 300)
        #expect(r.status == 0, "stdout: \(r.stdout)")
        #expect(r.stdout.contains("Z-IL = BP (f64)") && r.stdout.contains(" 0 failed"))
    }

    @Test("report renders a training log into summary.md and a report.html with figures")
    func report() throws {
        let dir = CLIHarness.temporaryDirectory()
        let metrics = dir.appendingPathComponent("m.jsonl")
        #expect(try CLIHarness.run(["train", "--rule", "il", "--epochs", "2"] + small + ["--metrics", metrics.path]).status == 0)
        let out = dir.appendingPathComponent("report")
        let r = try CLIHarness.run(["report", metrics.path, "--out", out.path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<svg"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.md").path))
    }
}
