import Foundation
import PlexusData
import PlexusLearning
import PlexusNumerics
import PlexusWire

/// Measurements behind `plexus cluster-bench`: how fast the coordinator aggregates, what protobuf
/// costs per message, and whole rounds of a real cluster on loopback.
public enum ClusterBenchmark {
    /// Aggregating one round of `workers` pushes: add each (sample-weighted), take the mean, apply Adam.
    public struct Aggregation: Sendable {
        public var workers: Int
        public var millisecondsPerRound: Double
        /// Bytes of delta tensors applied per second (whole round: sum, mean and optimizer), in GB/s.
        public var gigabytesPerSecond: Double
        /// The weighted sum alone (validation and `+= n_w · d_w`), in GB/s of deltas.
        public var sumGigabytesPerSecond: Double
        /// The mean and the optimizer step, once per round.
        public var applyMilliseconds: Double
    }

    /// Times the coordinator's aggregation of `workers` f32 pushes of `spec`'s size.
    public static func aggregation(spec: ModelSpec, workers: Int, minSeconds: Double = 0.5) throws -> Aggregation {
        let server = ParameterServer<Float>(spec: spec, optimizer: OptimizerSpec(), initial: Parameters<Double>.initialized(spec: spec, seed: 0),
                                            test: try emptyTest(spec), probeBatch: 1, threads: 1)
        let update = Parameters<Float>(zerosFor: spec, includeFeedback: false)
        var rng = SeededRandom(seed: 1)
        for (_, m) in update.namedTensors { for i in 0..<m.count { m.data[i] = Float(rng.uniform(-1e-3, 1e-3)) } }
        let pushes = (0..<workers).map { _ in ParameterTensors.tensors(update, dtype: .f32, includeFeedback: false) }
        let bytes = pushes.reduce(0) { $0 + $1.reduce(0) { $0 + $1.bytes.count } }
        var rounds = 0
        var summing = 0.0, applying = 0.0
        let start = Seconds.now
        repeat {
            let t0 = Seconds.now
            for p in pushes { try server.accumulate(p, sampleCount: 64) }
            let t1 = Seconds.now
            try server.applyPending(progress: 0)
            summing += t1 - t0
            applying += Seconds.now - t1
            rounds += 1
        } while Seconds.now - start < minSeconds
        let seconds = (summing + applying) / Double(rounds)
        return Aggregation(workers: workers, millisecondsPerRound: 1000 * seconds, gigabytesPerSecond: Double(bytes) / seconds / 1e9,
                           sumGigabytesPerSecond: Double(bytes) * Double(rounds) / summing / 1e9,
                           applyMilliseconds: 1000 * applying / Double(rounds))
    }

    /// Protobuf cost of one round trip of messages: Weights out, Push back.
    public struct Codec: Sendable {
        public var weightsBytes: Int
        public var pushBytes: Int
        public var encodeWeightsMilliseconds: Double
        public var decodeWeightsMilliseconds: Double
        public var encodePushMilliseconds: Double
        public var decodePushMilliseconds: Double
    }

    /// Times encoding and decoding a Weights and a Push message of `spec`'s size in `dtype`.
    public static func codec(spec: ModelSpec, dtype: Tensor.DType = .f32, minSeconds: Double = 0.3) throws -> Codec {
        let params = Parameters<Float>.initialized(spec: spec, seed: 0)
        let weights = Message.weights(Weights(version: 1, tensors: ParameterTensors.tensors(params, dtype: dtype, includeFeedback: false),
                                              round: 1, shardCursor: 0, batch: 64))
        let push = Message.push(Push(workerID: 0, baseVersion: 1, deltas: ParameterTensors.tensors(params, dtype: dtype, includeFeedback: false),
                                     sampleCount: 64, metrics: WorkerMetrics(computeMilliseconds: 1), round: 1, shardCursor: 64))
        func time(_ body: () throws -> Void) rethrows -> Double {
            var n = 0
            let start = Seconds.now
            repeat { try body(); n += 1 } while Seconds.now - start < minSeconds
            return 1000 * (Seconds.now - start) / Double(n)
        }
        let w = weights.encoded(), p = push.encoded()
        return Codec(weightsBytes: w.count, pushBytes: p.count,
                     encodeWeightsMilliseconds: time { _ = weights.encoded() },
                     decodeWeightsMilliseconds: try time { _ = try Message.decode(w) },
                     encodePushMilliseconds: time { _ = push.encoded() },
                     decodePushMilliseconds: try time { _ = try Message.decode(p) })
    }

    /// A whole cluster run on loopback: an in-process coordinator and `workers` worker processes of
    /// `executable`, silent, for `config.maxRounds` rounds.
    public static func cluster(_ config: CoordinatorConfig, workers: Int, executable: String, workerArguments: [String],
                               stop: StopSignal) throws -> ClusterSummary {
        var c = config
        c.workers = workers
        c.bind = "tcp://127.0.0.1:*"
        c.train.progress = false
        let coordinator = try Coordinator(config: c, log: try MetricsLog(path: nil, keepRecords: false),
                                          progress: ProgressLine(enabled: false), stop: stop)
        coordinator.printLines = false
        let launcher = Launcher(coordinator: coordinator, placement: .local(count: workers), executable: executable)
        launcher.workerArguments = workerArguments
        return try launcher.run()
    }

    /// A one-sample test set shaped for `spec` (aggregation needs none, the server wants one).
    private static func emptyTest(_ spec: ModelSpec) throws -> Dataset {
        try Dataset(name: "bench", pixels: [UInt8](repeating: 0, count: spec.widths[0]), labels: [0],
                               features: spec.widths[0], classes: spec.widths[spec.depth])
    }
}
