import PlexusNumerics

/// Computes one rule's update (a descent direction of the batch-mean loss) for a batch, and
/// feedforward evaluations, on preallocated buffers.
///
/// The batch is split into `threads` contiguous slices that run concurrently, each with its own
/// workspace (use single-threaded BLAS then: DESIGN.md §5); the slices' sums are added at the end.
/// Every rule is per-sample independent given the weights, so the result does not depend on the
/// split beyond floating-point summation order.
public final class Learner<Scalar: BLASScalar>: @unchecked Sendable {
    public let spec: ModelSpec
    public let maxBatch: Int
    public let threads: Int
    let slices: [SliceWorkspace<Scalar>]

    public init(spec: ModelSpec, maxBatch: Int, threads: Int = 1) {
        precondition(maxBatch > 0, "Learner needs a positive batch capacity")
        self.spec = spec
        self.maxBatch = maxBatch
        self.threads = Swift.max(1, Swift.min(threads, maxBatch))
        let per = (maxBatch + self.threads - 1) / self.threads
        slices = (0..<self.threads).map { _ in SliceWorkspace(spec: spec, capacity: per) }
    }

    /// The update of `spec.rule` on one batch, written into `update` (weights and biases; descent
    /// directions `−∂L/∂θ` for bp, the Hebbian `eps_lᵀ f(x_{l−1}) / (B π_L)` for PC rules).
    ///
    /// - Parameters:
    ///   - input: `B × n_0` clamped input `x_0`.
    ///   - target: `B × n_L` one-hot targets.
    ///   - trajectory: record the energy after every inference step in the returned stats.
    @discardableResult
    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func computeUpdate(_ params: Parameters<Scalar>, input: MatrixView<Scalar>, target: MatrixView<Scalar>,
                              into update: Parameters<Scalar>, trajectory: Bool = false) -> BatchStats {
        check(input: input, target: target)
        let batch = input.rows
        let stats = runSlices(input, target) { ws, inp, tgt in
            self.sliceUpdate(ws, params, input: inp, target: tgt, batch: batch, trajectory: trajectory)
        }
        let used = slices.prefix(sliceCount(batch))
        update.assign(used[0].grads)
        for s in used.dropFirst() { update.add(s.grads) }
        return stats
    }

    /// Feedforward loss and accuracy on a batch (no update).
    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func evaluate(_ params: Parameters<Scalar>, input: MatrixView<Scalar>, target: MatrixView<Scalar>) -> BatchStats {
        check(input: input, target: target)
        return runSlices(input, target) { ws, inp, tgt in
            ws.forward(params, input: inp)
            var s = BatchStats()
            s.samples = inp.rows
            s.lossSum = ws.outputError(target: tgt, precision: 1)
            s.correct = ws.correctCount(target: tgt)
            s.energyBeforeSum = s.lossSum
            s.energyAfterSum = s.lossSum
            return s
        }
    }

    /// The feedforward output `mu_L` of the first `rows` samples after the last call (slice order).
    public func outputs(rows: Int) -> [[Scalar]] {
        var out: [[Scalar]] = []
        var remaining = rows
        for ws in slices where remaining > 0 {
            let n = Swift.min(remaining, ws.capacity)
            let m = ws.mu[spec.depth].rows(0, n)
            for r in 0..<n { out.append(Array(UnsafeBufferPointer(start: m.data + r * m.cols, count: m.cols))) }
            remaining -= n
        }
        return out
    }

    // MARK: Internals

    private func check(input: MatrixView<Scalar>, target: MatrixView<Scalar>) {
        precondition(input.cols == spec.widths[0], "input has \(input.cols) features, the network expects \(spec.widths[0])")
        precondition(target.cols == spec.widths[spec.depth], "target has \(target.cols) classes, the network has \(spec.widths[spec.depth]) outputs")
        precondition(input.rows == target.rows, "input has \(input.rows) rows, target \(target.rows)")
        precondition(input.rows <= maxBatch, "batch of \(input.rows) exceeds the learner's capacity \(maxBatch)")
    }

    private func sliceCount(_ batch: Int) -> Int {
        let per = slices[0].capacity
        return Swift.max(1, (batch + per - 1) / per)
    }

    /// Runs `body` on each slice's rows (concurrently when there are several) and merges the stats.
    private func runSlices(_ input: MatrixView<Scalar>, _ target: MatrixView<Scalar>,
                           _ body: (SliceWorkspace<Scalar>, MatrixView<Scalar>, MatrixView<Scalar>) -> BatchStats) -> BatchStats {
        let batch = input.rows, count = sliceCount(batch), per = slices[0].capacity
        func run(_ i: Int) -> BatchStats {
            let start = i * per, n = Swift.min(per, batch - start)
            return body(slices[i], input.rows(start, n), target.rows(start, n))
        }
        if count == 1 { return run(0) }
        var results = [BatchStats](repeating: BatchStats(), count: count)
        results.withUnsafeMutableBufferPointer { out in
            Parallel.run(count) { i in out[i] = run(i) }
        }
        var total = BatchStats()
        for r in results { total.merge(r) }
        return total
    }

    private func sliceUpdate(_ ws: SliceWorkspace<Scalar>, _ params: Parameters<Scalar>, input: MatrixView<Scalar>,
                             target: MatrixView<Scalar>, batch: Int, trajectory: Bool) -> BatchStats {
        let L = spec.depth
        // Z-IL is defined without precisions (Song et al. 2020): it takes π_L = 1, as it takes γ = 1.
        let precision = spec.rule.usesInference && spec.rule != .zil ? Scalar(spec.outputPrecision) : 1
        let scale = 1 / (Scalar(batch) * precision)
        ws.forward(params, input: input)
        var stats = BatchStats()
        stats.samples = input.rows
        stats.lossSum = ws.outputError(target: target, precision: precision)
        stats.correct = ws.correctCount(target: target)
        stats.energyBeforeSum = Double(precision) * stats.lossSum
        switch spec.rule {
        case .bp, .fa, .dfa:
            ws.backward(params, rows: input.rows)
            for l in 1...L { ws.accumulate(layer: l, input: input, scale: scale) }
            stats.energyAfterSum = stats.energyBeforeSum
            stats.energyTrajectorySum = [stats.energyBeforeSum]
        case .il, .pcfa, .pckp, .zil:
            ws.precision = precision
            ws.lastOutputLoss = stats.lossSum
            let zil = spec.rule == .zil
            let energies = L >= 2
                ? ws.infer(params, input: input, target: target, steps: spec.steps, gamma: zil ? 1 : Scalar(spec.gamma),
                           precision: precision, zilScale: zil ? scale : nil, trajectory: trajectory)
                : []
            if zil {
                if L == 1 { ws.accumulate(layer: 1, input: input, scale: scale) }
            } else {
                for l in 1...L { ws.accumulate(layer: l, input: input, scale: scale) }
            }
            stats.energyAfterSum = energies.last ?? stats.energyBeforeSum
            stats.energyTrajectorySum = trajectory ? [stats.energyBeforeSum] + energies : [stats.energyBeforeSum, stats.energyAfterSum]
        }
        return stats
    }
}
