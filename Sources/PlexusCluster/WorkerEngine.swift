import PlexusData
import PlexusLearning
import PlexusNumerics
import PlexusWire

/// A worker's computation, independent of its precision: given `Weights` (these weights, these
/// samples of the shard), the push to send back.
protocol WorkerCompute: AnyObject, Sendable {
    /// Computes the push for one job. Runs on the compute thread.
    func compute(_ job: Weights, workerID: Int) throws(RunError) -> Push
}

/// `WorkerCompute` in precision `S`: the worker's shard, its current weights, and the rule's
/// `Learner` with preallocated batch buffers. Stateless apart from those: which samples to use and
/// on which weights always comes from the coordinator.
final class WorkerEngine<S: BLASScalar>: WorkerCompute, @unchecked Sendable {
    // @unchecked: after construction on the socket thread, used only by the compute thread.
    let spec: ModelSpec
    let run: RunConfig
    let shard: Dataset
    var stream: ShardStream
    let learner: Learner<S>
    /// The weights of `version`, as received (local steps work on `local`).
    let params: Parameters<S>
    let local: Parameters<S>
    let update: Parameters<S>
    let sum: Parameters<S>
    let input: Matrix<S>
    let target: Matrix<S>
    let encoder: DeltaEncoder<S>
    let skipCompute: Bool
    private(set) var version: Int

    /// An engine for the run and shard of `welcome`, holding its weights.
    init(welcome: Welcome, shard: Dataset, threads: Int, errorFeedback: Bool, skipCompute: Bool) throws(RunError) {
        spec = welcome.config.model
        run = welcome.config
        self.shard = shard
        self.skipCompute = skipCompute
        stream = ShardStream(count: shard.count, slot: welcome.workerID, seed: run.seed, shuffle: run.shuffle)
        let capacity = Swift.max(1, run.batch)
        learner = Learner(spec: spec, maxBatch: capacity, threads: threads)
        params = Parameters.initialized(spec: spec, seed: run.seed)
        local = Parameters(zerosFor: spec)
        update = Parameters(zerosFor: spec, includeFeedback: false)
        sum = Parameters(zerosFor: spec, includeFeedback: false)
        input = Matrix(rows: capacity, cols: spec.widths[0])
        target = Matrix(rows: capacity, cols: spec.widths[spec.depth])
        let native: Tensor.DType = S.self == Double.self ? .f64 : .f32
        encoder = DeltaEncoder(spec: spec, dtype: run.compress == .none ? native : run.compress.dtype, errorFeedback: errorFeedback)
        try ParameterTensors.load(welcome.weights, into: params)
        version = welcome.version
    }

    // Called through the `WorkerCompute` existential: dispatch to the specialisations at run time.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    func compute(_ job: Weights, workerID: Int) throws(RunError) -> Push {
        if job.tensors.isEmpty {
            guard job.version == version else {
                throw RunError("the coordinator sent version \(job.version) without tensors, but this worker holds version \(version)")
            }
        } else {
            try ParameterTensors.load(job.tensors, into: params)
            version = job.version
        }
        guard job.shardCursor >= 0 && job.shardCursor < 1 << 50 else {
            throw RunError("a job at stream position \(job.shardCursor), outside 0…2⁵⁰")
        }
        guard job.batch >= 1 && job.batch <= learner.maxBatch else {
            throw RunError("a job of \(job.batch) samples, outside 1…\(learner.maxBatch) announced at Welcome")
        }
        let steps = Swift.max(1, run.localSteps)
        let b = job.batch
        let start = Seconds.now
        var stats = BatchStats()
        if skipCompute {
            ParameterKernels.zero(update)
            stats.samples = steps * b
        } else if steps == 1 {
            stats = step(params, from: job.shardCursor, batch: b, into: update)
        } else {
            // K local SGD steps at the coordinator's rate; push the mean direction.
            ParameterKernels.copy(params, into: local)
            ParameterKernels.zero(sum)
            // The schedule's clock: this worker's position in its shard over all epochs (workers
            // advance together, so this is the run's progress).
            let total = Double(Swift.max(1, run.epochs) * shard.count)
            let lr = S(run.optimizer.lr * run.optimizer.schedule.scale(progress: Double(job.shardCursor) / total))
            for k in 0..<steps {
                stats.merge(step(local, from: job.shardCursor + k * b, batch: b, into: update))
                ParameterKernels.axpy(1, update, into: sum)
                ParameterKernels.axpy(lr, update, into: local)
            }
            ParameterKernels.scale(1 / S(steps), sum, into: update)
        }
        if let bad = ParameterKernels.firstNonFinite(update) {
            throw RunError("the update diverged: \(bad) is not finite on version \(version); try a smaller --lr")
        }
        let deltas = encoder.encode(update)
        let metrics = WorkerMetrics(computeMilliseconds: 1000 * (Seconds.now - start),
                                    loss: skipCompute ? 0 : stats.meanLoss,
                                    energyBefore: skipCompute ? 0 : stats.meanEnergyBefore,
                                    energyAfter: skipCompute ? 0 : stats.meanEnergyAfter,
                                    correct: stats.correct)
        return Push(workerID: workerID, baseVersion: version, deltas: deltas, sampleCount: steps * b, metrics: metrics,
                    round: job.round, shardCursor: job.shardCursor + steps * b)
    }

    /// One batch of `b` samples from stream position `cursor`: the rule's update on `weights`.
    private func step(_ weights: Parameters<S>, from cursor: Int, batch b: Int, into out: Parameters<S>) -> BatchStats {
        let indices = stream.indices(from: cursor, count: b)
        shard.fillBatch(indices, inputs: input.data, targets: target.data)
        return learner.computeUpdate(weights, input: input.rows(0, b), target: target.rows(0, b), into: out)
    }
}
