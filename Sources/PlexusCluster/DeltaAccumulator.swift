import PlexusLearning
import PlexusNumerics
import PlexusWire

/// The coordinator's aggregation: a running sum `Σ_w n_w · d_w` of pushed descent directions
/// weighted by their sample counts, and `Σ_w n_w`. Their quotient is the mean direction of the
/// union of the pushes' samples — exactly what `Learner.computeUpdate` gives on that union, since
/// every rule's update is a per-sample mean (DESIGN.md §2, exactness).
///
/// Tensors whose dtype matches the accumulator's precision are added straight from their wire
/// bytes (one pass, memory speed); others (f16, bf16, mixed precision) are decoded first.
public final class DeltaAccumulator<S: BLASScalar>: @unchecked Sendable {
    public let spec: ModelSpec
    /// `Σ n_w d_w`, weights and biases only.
    public let sum: Parameters<S>
    /// `Σ n_w`.
    public private(set) var samples = 0
    /// Pushes added since the last reset.
    public private(set) var pushes = 0
    /// Bytes of delta tensors added since the last reset.
    public private(set) var deltaBytes = 0
    private let scratch: UnsafeMutablePointer<S>
    private let scratchCount: Int

    public init(spec: ModelSpec) {
        self.spec = spec
        sum = Parameters(zerosFor: spec, includeFeedback: false)
        scratchCount = sum.namedTensors.map(\.matrix.count).max() ?? 1
        scratch = .allocate(capacity: scratchCount)
    }

    deinit { scratch.deallocate() }

    /// Starts a new sum.
    public func reset() {
        ParameterKernels.zero(sum)
        samples = 0
        pushes = 0
        deltaBytes = 0
    }

    /// Adds one push's deltas with weight `sampleCount`. Validates everything first (names, shapes,
    /// dtypes, finiteness); on an error nothing is added.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func add(_ deltas: [Tensor], sampleCount: Int) throws(RunError) {
        guard sampleCount > 0 else { throw RunError("a push must cover at least one sample, got \(sampleCount)") }
        let slots = try ParameterTensors.validateDeltas(deltas, against: sum)
        let named = sum.namedTensors
        let weight = S(sampleCount)
        for (t, k) in zip(deltas, slots) {
            let m = named[k].matrix
            if !addDirect(t, weight, into: m) {
                ParameterTensors.decode(t, into: scratch, count: m.count)
                Kernels.axpy(weight, scratch, m.data, count: m.count)
            }
            deltaBytes += t.bytes.count
        }
        samples += sampleCount
        pushes += 1
    }

    /// `m += weight · t` straight from the tensor's bytes when its dtype is `S`; false otherwise.
    private func addDirect(_ t: Tensor, _ weight: S, into m: Matrix<S>) -> Bool {
        #if _endian(little)
        let native: Tensor.DType = S.self == Double.self ? .f64 : .f32
        guard t.dtype == native else { return false }
        t.bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, Int(bitPattern: base) % MemoryLayout<S>.alignment == 0 else {
                ParameterTensors.decode(t, into: scratch, count: m.count)
                Kernels.axpy(weight, scratch, m.data, count: m.count)
                return
            }
            Kernels.axpy(weight, base.assumingMemoryBound(to: S.self), m.data, count: m.count)
        }
        return true
        #else
        return false
        #endif
    }

    /// Writes the sample-weighted mean direction `Σ n_w d_w / Σ n_w` into `out`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func mean(into out: Parameters<S>) {
        precondition(samples > 0, "mean of an empty sum")
        ParameterKernels.scale(1 / S(samples), sum, into: out)
    }
}
