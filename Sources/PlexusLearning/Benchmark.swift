import Foundation
import PlexusNumerics

/// Throughput of the learning core on random data, for `plexus bench` (DESIGN.md §5).
public enum Benchmark {
    public struct Result: Sendable {
        public var rule: Rule
        public var samplesPerSecond: Double
        public var gflops: Double
        public var secondsPerBatch: Double
    }

    /// Times `computeUpdate` (plus an optimizer step, as in training) for `spec` on random batches.
    public static func measure(_ spec: ModelSpec, batch: Int, threads: Int, minSeconds: Double = 1.0, seed: UInt64 = 0) -> Result {
        let params = Parameters<Float>.initialized(spec: spec, seed: seed)
        let learner = Learner<Float>(spec: spec, maxBatch: batch, threads: threads)
        let update = Parameters<Float>(zerosFor: spec, includeFeedback: false)
        let optimizer = Optimizer<Float>(OptimizerSpec(), model: spec)
        optimizer.threads = threads
        var rng = SeededRandom(seed: seed)
        let input = Matrix<Float>(rows: batch, cols: spec.widths[0])
        let target = Matrix<Float>(rows: batch, cols: spec.widths[spec.depth])
        for i in 0..<input.count { input.data[i] = Float(rng.nextUnit()) }
        for r in 0..<batch { target[r, Int(rng.next() % UInt64(target.cols))] = 1 }
        // Warm up (page in buffers, start BLAS threads).
        for _ in 0..<3 { learner.computeUpdate(params, input: input.view, target: target.view, into: update) }
        var batches = 0
        let start = Date()
        var elapsed = 0.0
        repeat {
            learner.computeUpdate(params, input: input.view, target: target.view, into: update)
            optimizer.apply(update, to: params)
            batches += 1
            elapsed = Date().timeIntervalSince(start)
        } while elapsed < minSeconds
        let sps = Double(batches * batch) / elapsed
        return Result(rule: spec.rule, samplesPerSecond: sps, gflops: sps * spec.flopsPerSample / 1e9,
                      secondsPerBatch: elapsed / Double(batches))
    }

    /// GFLOP/s of a plain `sgemm` of `m × k` by `k × n` (the BLAS ceiling for comparison).
    public static func sgemmGFLOPS(m: Int, n: Int, k: Int, minSeconds: Double = 0.5) -> Double {
        let a = Matrix<Float>(rows: m, cols: k), b = Matrix<Float>(rows: k, cols: n), c = Matrix<Float>(rows: m, cols: n)
        a.fill(0.5); b.fill(0.25)
        BLAS.gemm(a.view, b.view, into: c.view)
        var calls = 0
        let start = Date()
        var elapsed = 0.0
        repeat {
            BLAS.gemm(a.view, b.view, into: c.view)
            calls += 1
            elapsed = Date().timeIntervalSince(start)
        } while elapsed < minSeconds
        return Double(calls) * 2 * Double(m * n * k) / elapsed / 1e9
    }
}
