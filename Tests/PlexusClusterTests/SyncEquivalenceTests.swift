import Foundation
import PlexusCluster
import PlexusData
import PlexusLearning
import PlexusNumerics
import PlexusWire
import Testing

/// DESIGN.md §2, exactness: in sync mode with every worker in the quorum, one round equals one
/// single-process step on the union of the workers' batches. A real coordinator and three real
/// worker processes train for a few rounds in Float64; this test replays the same samples in one
/// process with `Learner` and `Optimizer` and compares the weights.
@Suite("sync rounds equal single-process steps on the union of the batches", .serialized)
struct SyncEquivalenceTests {
    static let rounds = 4
    static let workers = 3
    static let trainCount = 600

    struct Case: Sendable, CustomStringConvertible {
        var rule: Rule
        var batch: Int
        var optimizer: OptimizerSpec
        var description: String { "\(rule), batch \(batch), \(optimizer.kind) \(optimizer.schedule)" }
        var flags: [String] {
            ["--optimizer", optimizer.kind.rawValue, "--lr", String(optimizer.lr), "--lr-schedule", optimizer.schedule.rawValue,
             "--weight-decay", String(optimizer.weightDecay)]
        }
    }

    static let cases: [Case] = [
        Case(rule: .bp, batch: 30, optimizer: OptimizerSpec(kind: .sgd, lr: 0.05)),
        Case(rule: .il, batch: 31, optimizer: OptimizerSpec(kind: .adam, lr: 0.002)),
        Case(rule: .zil, batch: 30, optimizer: OptimizerSpec(kind: .sgd, lr: 0.05, schedule: .constant)),
        Case(rule: .fa, batch: 32, optimizer: OptimizerSpec(kind: .sgd, lr: 0.05)),
        Case(rule: .pcfa, batch: 30, optimizer: OptimizerSpec(kind: .adamw, lr: 0.002, weightDecay: 0.01)),
        Case(rule: .pckp, batch: 29, optimizer: OptimizerSpec(kind: .sgd, lr: 0.05)),
        Case(rule: .dfa, batch: 30, optimizer: OptimizerSpec(kind: .sgd, lr: 0.05, schedule: .constant)),
    ]

    @Test("weights after several rounds match the single-process replay", .serialized, arguments: cases)
    func roundsMatchReplay(_ c: Case) throws {
        let dir = TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let endpointFile = dir.appendingPathComponent("endpoint"), ckpt = dir.appendingPathComponent("c.ckpt")
        let log = dir.appendingPathComponent("m.jsonl")
        let train = ["--data", "synthetic:\(Self.trainCount):60", "--layers", "784,24,16,10", "--rule", c.rule.rawValue,
                     "--steps", "5", "--batch", String(c.batch), "--epochs", "1", "--no-shuffle", "--precision", "f64",
                     "--align-every", "0", "--quiet"] + c.flags
        let coordinator = try Spawned(["coordinator", "--bind", "tcp://127.0.0.1:*", "--endpoint-file", endpointFile.path,
                                       "--workers", String(Self.workers), "--max-rounds", String(Self.rounds),
                                       "--save", ckpt.path, "--metrics", log.path, "--join-timeout", "60"] + train,
                                      in: dir, label: "coordinator")
        let endpoint = try #require(TestFiles.waitForText(endpointFile, seconds: 30), "coordinator: \(coordinator.stderr)")
        let workers = try (0..<Self.workers).map {
            try Spawned(["worker", "--connect", endpoint, "--name", "w\($0)", "--quiet", "--connect-timeout", "30"],
                        in: dir, label: "worker\($0)")
        }
        let status = coordinator.wait(seconds: 90)
        #expect(status == 0, "coordinator: \(coordinator.stderr)")
        for (i, w) in workers.enumerated() { #expect(w.wait(seconds: 15) == 0, "worker \(i): \(w.stderr)") }
        guard status == 0 else { return }

        let checkpoint = try CheckpointFile.read(from: ckpt.path)
        #expect(checkpoint.round == Self.rounds && checkpoint.version == Self.rounds)
        let spec = ModelSpec(widths: [784, 24, 16, 10], rule: c.rule, steps: 5)
        let cluster = try Parameters<Double>.fromCheckpoint(checkpoint, spec: spec, seed: 0, path: ckpt.path)
        let reference = try replay(spec: spec, optimizer: c.optimizer, batch: c.batch)
        let difference = Diagnostics.maxRelativeDifference(cluster, reference)
        // Float64 with a different summation order: rounding level, far below any real difference.
        #expect(difference < 1e-10, "\(c): max relative difference \(difference)")
        // The same samples really were used: a run one round shorter would differ a lot.
        let shorter = try replay(spec: spec, optimizer: c.optimizer, batch: c.batch, rounds: Self.rounds - 1)
        #expect(Diagnostics.maxRelativeDifference(cluster, shorter) > 1e-6)
    }

    /// The single-process run on the union of each round's batches: worker slot w's batch in round
    /// r is positions `r·b_w ..< (r+1)·b_w` of its shard (no shuffling), `b_w` its share of `batch`.
    private func replay(spec: ModelSpec, optimizer: OptimizerSpec, batch: Int, rounds: Int = Self.rounds) throws -> Parameters<Double> {
        let (train, _) = try DataSource.synthetic(train: Self.trainCount, test: 60).load(seed: 0)
        let shards = Dataset.shardIndices(count: train.count, parts: Self.workers, seed: 0)
        let shares = (0..<Self.workers).map { batch / Self.workers + ($0 < batch % Self.workers ? 1 : 0) }
        let params = Parameters<Double>.initialized(spec: spec, seed: 0)
        let learner = Learner<Double>(spec: spec, maxBatch: batch, threads: 1)
        let update = Parameters<Double>(zerosFor: spec, includeFeedback: false)
        let opt = Optimizer<Double>(optimizer, model: spec)
        let input = Matrix<Double>(rows: batch, cols: 784), target = Matrix<Double>(rows: batch, cols: 10)
        for r in 0..<rounds {
            let union = (0..<Self.workers).flatMap { w in shards[w][(r * shares[w])..<((r + 1) * shares[w])] }
            train.fillBatch(union, inputs: input.data, targets: target.data)
            learner.computeUpdate(params, input: input.view, target: target.view, into: update)
            opt.lrScale = optimizer.schedule.scale(progress: Double(r * batch) / Double(train.count))
            opt.apply(update, to: params)
        }
        return params
    }
}
