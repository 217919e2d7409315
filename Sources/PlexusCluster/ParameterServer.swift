import PlexusData
import PlexusLearning
import PlexusNumerics
import PlexusWire

/// The coordinator's numeric state, independent of its precision: the weights, the optimizer that
/// moves them, the aggregation of pushes, and evaluation (see `ParameterServer`).
protocol ParameterStore: AnyObject {
    /// Number of applied updates.
    var version: Int { get }
    /// Optimizer steps taken.
    var optimizerStep: Int { get }
    /// Samples and pushes in the current sum.
    var pendingSamples: Int { get }
    var pendingPushes: Int { get }
    /// The current weights (cached per version): weights and biases, plus feedback matrices when
    /// `includeFeedback`.
    func weightTensors(dtype: Tensor.DType, includeFeedback: Bool) -> [Tensor]
    /// Adds a push to the current sum (validated first; nothing changes on an error).
    func accumulate(_ deltas: [Tensor], sampleCount: Int) throws(RunError)
    /// Applies the mean of the current sum with the optimizer at the learning rate of the schedule
    /// at `progress` (fraction of all training samples consumed before this update), clears the
    /// sum, bumps the version. Throws if the weights stop being finite.
    func applyPending(progress: Double) throws(RunError)
    /// Drops the current sum.
    func discardPending()
    /// Feedforward loss and accuracy on `data`.
    func evaluate(_ data: Dataset) -> BatchStats
    /// Logs BP alignment and the energy trajectory on a held-out batch.
    func recordAlignment(epoch: Int, round: Int, log: MetricsLog)
    /// A checkpoint of the weights (in `dtype`) and the optimizer state.
    func checkpoint(dtype: Tensor.DType) -> (tensors: [Tensor], optimizerState: [Tensor])
    /// Puts back the optimizer state, step count and weight version of a checkpoint (resuming a
    /// run); every state tensor the optimizer has must be present with its size and finite.
    func restore(optimizerState: [Tensor], step: Int, version: Int) throws(RunError)
    /// Seconds spent adding pushes and applying updates, and bytes of deltas added, since creation.
    var aggregationSeconds: Double { get }
    var aggregatedBytes: Int { get }
}

/// `ParameterStore` in precision `S` (Float32, or Float64 for `--precision f64`).
///
/// The coordinator holds it as an existential, whose witnesses are the generic implementations;
/// `@_specialize` gives each entry point a run-time dispatch to its Float and Double
/// specialisations, so the arithmetic never runs through generic witness calls.
final class ParameterServer<S: BLASScalar>: ParameterStore {
    let spec: ModelSpec
    let params: Parameters<S>
    let optimizer: Optimizer<S>
    let accumulator: DeltaAccumulator<S>
    let direction: Parameters<S>
    let evaluator: Evaluator<S>
    let probe: AlignmentProbe<S>?
    private(set) var version = 0
    private(set) var aggregationSeconds = 0.0
    private(set) var aggregatedBytes = 0
    private var cache: (version: Int, dtype: Tensor.DType, feedback: Bool, tensors: [Tensor])?

    init(spec: ModelSpec, optimizer: OptimizerSpec, initial: Parameters<Double>, test: Dataset, probeBatch: Int, threads: Int) {
        self.spec = spec
        params = initial.converted(to: S.self)
        self.optimizer = Optimizer(optimizer, model: spec)
        // In a sync round the workers wait while the coordinator steps: share the step over the cores.
        self.optimizer.threads = threads
        accumulator = DeltaAccumulator(spec: spec)
        direction = Parameters(zerosFor: spec, includeFeedback: false)
        evaluator = Evaluator(spec: spec, threads: threads)
        probe = test.count > 0 ? AlignmentProbe(spec: spec, test: test, batch: Swift.min(probeBatch, test.count), threads: threads) : nil
    }

    var optimizerStep: Int { optimizer.step }
    var pendingSamples: Int { accumulator.samples }
    var pendingPushes: Int { accumulator.pushes }

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    func weightTensors(dtype: Tensor.DType, includeFeedback: Bool) -> [Tensor] {
        if let c = cache, c.version == version, c.dtype == dtype, c.feedback == includeFeedback { return c.tensors }
        let tensors = ParameterTensors.tensors(params, dtype: dtype, includeFeedback: includeFeedback)
        cache = (version, dtype, includeFeedback, tensors)
        return tensors
    }

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    func accumulate(_ deltas: [Tensor], sampleCount: Int) throws(RunError) {
        let start = Seconds.now
        try accumulator.add(deltas, sampleCount: sampleCount)
        aggregationSeconds += Seconds.now - start
    }

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    func applyPending(progress: Double) throws(RunError) {
        guard accumulator.samples > 0 else { return }
        let start = Seconds.now
        accumulator.mean(into: direction)
        aggregatedBytes += accumulator.deltaBytes
        accumulator.reset()
        optimizer.lrScale = optimizer.spec.schedule.scale(progress: progress)
        optimizer.apply(direction, to: params)
        version += 1
        aggregationSeconds += Seconds.now - start
        if let bad = ParameterKernels.firstNonFinite(params) {
            throw RunError("training diverged: \(bad) is not finite after update \(version); try a smaller --lr")
        }
    }

    func discardPending() { accumulator.reset() }

    func restore(optimizerState: [Tensor], step: Int, version: Int) throws(RunError) {
        let byName = Dictionary(optimizerState.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (name, m) in optimizer.stateTensors {
            guard let t = byName[name] else { throw RunError("the checkpoint has no optimizer state \(name)") }
            guard t.elementCount == m.count else {
                throw RunError("the checkpoint's optimizer state \(name) has \(t.elementCount) values; the model needs \(m.count)")
            }
            if let bad = t.firstNonFiniteIndex() {
                throw RunError("the checkpoint's optimizer state \(name) holds a non-finite value at index \(bad)")
            }
            let values = t.doubles()
            for i in 0..<m.count { m.data[i] = S(values[i]) }
        }
        optimizer.step = step
        self.version = version
        cache = nil
    }

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    func evaluate(_ data: Dataset) -> BatchStats { evaluator.evaluate(params, on: data) }

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    func recordAlignment(epoch: Int, round: Int, log: MetricsLog) {
        probe?.record(params, epoch: epoch, log: log, round: round)
    }

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    func checkpoint(dtype: Tensor.DType) -> (tensors: [Tensor], optimizerState: [Tensor]) {
        let p = params.converted(to: Double.self)
        let state = optimizer.stateTensors.map { ParameterTensors.tensor(name: $0.name, $0.matrix, dtype: dtype) }
        return (p.tensors(dtype: dtype), state)
    }
}
