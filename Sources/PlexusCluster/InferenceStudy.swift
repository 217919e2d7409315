import PlexusData
import PlexusLearning
import PlexusNumerics

/// How predictive-coding inference approaches backprop on real data, for one network and one
/// held-out batch (the report's "PC approaches BP" figure):
///
/// - the IL sweep: IL's per-layer cosine with the BP gradient for each number of inference steps T
///   and output precision π_L (Whittington & Bogacz 2017: as π_L → 0 and T grows, IL → BP);
/// - the Z-IL check: the largest relative difference between Z-IL's collected updates and BP's
///   gradients, in Float64 and Float32, with Z-IL's schedule (T = L, γ = 1, π_L = 1; Song et al.
///   2020: equal to rounding).
///
/// Everything runs on the given weights and batch, so the numbers describe the network that was
/// actually trained rather than a random one.
public struct InferenceStudy {
    /// One point of the sweep.
    public struct SweepPoint: Sendable {
        public var steps: Int
        public var outputPrecision: Double
        /// Mean over layers of the cosine with the BP gradient.
        public var cosine: Double
        public var layers: [LayerAlignment]
    }

    /// One Z-IL-versus-BP comparison.
    public struct ZILCheck: Sendable {
        /// `f64` or `f32`.
        public var precision: String
        public var maxRelativeDifference: Double
        /// The bound DESIGN.md §1 sets: 1e-12 in Float64, 1e-5 in Float32.
        public var tolerance: Double
        public var passed: Bool { maxRelativeDifference <= tolerance }
    }

    /// The T values of the sweep.
    public static let defaultSteps = [1, 2, 5, 10, 20, 50, 100, 200]
    /// The output precisions π_L of the sweep.
    public static let defaultPrecisions = [1, 0.1, 0.01, 0.001]

    /// The network: widths, activation, energy and the inference rate γ of the sweep.
    public let spec: ModelSpec
    public let params: Parameters<Double>
    public let input: Matrix<Double>
    public let target: Matrix<Double>
    public var steps = InferenceStudy.defaultSteps
    public var precisions = InferenceStudy.defaultPrecisions
    /// Compute threads (batch slices).
    public var threads = 1

    /// A study of `params` (weights and biases of `spec.widths`) on test samples `0 ..< batch`.
    public init(spec: ModelSpec, params: Parameters<Double>, test: Dataset, batch: Int) throws(RunError) {
        let rows = Swift.min(batch, test.count)
        guard rows > 0 else { throw RunError("the IL sweep needs held-out samples, but the test set is empty") }
        self.spec = spec
        self.params = params
        input = Matrix(rows: rows, cols: spec.widths[0])
        target = Matrix(rows: rows, cols: spec.widths[spec.depth])
        test.fillBatch(0..<rows, inputs: input.data, targets: target.data)
    }

    /// Number of samples in the batch.
    public var samples: Int { input.rows }

    /// `spec` with another rule (and Z-IL's schedule: T = L, γ = 1, π_L = 1).
    func spec(rule: Rule) -> ModelSpec {
        var s = spec
        s.rule = rule
        if rule == .zil { s.steps = s.depth; s.gamma = 1; s.outputPrecision = 1 }
        return s
    }

    /// The update of `rule` on the batch, in precision `S`.
    func update<S: BLASScalar>(_ s: ModelSpec, _: S.Type) -> Parameters<S> {
        let out = Parameters<S>(zerosFor: s, includeFeedback: false)
        let p: Parameters<S> = params.converted(to: S.self)
        let x: Matrix<S> = input.converted(to: S.self), y: Matrix<S> = target.converted(to: S.self)
        Learner<S>(spec: s, maxBatch: samples, threads: threads).computeUpdate(p, input: x.view, target: y.view, into: out)
        return out
    }

    /// IL's alignment with BP (Float64) for every (π_L, T), in that order; `onPoint` sees each
    /// point as it is computed.
    public func sweep(onPoint: (SweepPoint) -> Void = { _ in }) -> [SweepPoint] {
        let bp = update(spec(rule: .bp), Double.self)
        var out: [SweepPoint] = []
        for p in precisions {
            for t in steps {
                var s = spec(rule: .il)
                s.outputPrecision = p
                s.steps = t
                let layers = Diagnostics.alignment(update(s, Double.self), against: bp)
                let point = SweepPoint(steps: t, outputPrecision: p,
                                       cosine: layers.map(\.cosine).reduce(0, +) / Double(layers.count), layers: layers)
                onPoint(point)
                out.append(point)
            }
        }
        return out
    }

    /// Z-IL against BP in Float64 and in Float32.
    public func zilChecks() -> [ZILCheck] {
        let zil = spec(rule: .zil), bp = spec(rule: .bp)
        let d64 = Diagnostics.maxRelativeDifference(update(zil, Double.self), update(bp, Double.self))
        let d32 = Diagnostics.maxRelativeDifference(update(zil, Float.self), update(bp, Float.self))
        return [ZILCheck(precision: "f64", maxRelativeDifference: d64, tolerance: 1e-12),
                ZILCheck(precision: "f32", maxRelativeDifference: d32, tolerance: 1e-5)]
    }

    /// Runs the sweep and the Z-IL check and writes `il_sweep` and `zil_check` records; `network`
    /// says whose weights these are (e.g. "il after 5 epochs").
    @discardableResult
    public func record(into log: MetricsLog, network: String,
                       onPoint: (SweepPoint) -> Void = { _ in }) -> (sweep: [SweepPoint], zil: [ZILCheck]) {
        let points = sweep(onPoint: onPoint)
        for point in points {
            var r = JSONLine(event: "il_sweep")
            r.set("steps", point.steps)
            r.set("output_precision", point.outputPrecision)
            r.set("cosine", point.cosine)
            r["layers"] = .array(point.layers.map { l in
                var o = JSONLine()
                o.set("layer", l.layer)
                o.set("cosine", l.cosine)
                o.set("norm_ratio", l.normRatio)
                return .object(o)
            })
            r.set("gamma", spec.gamma)
            r.set("samples", samples)
            r.set("network", network)
            log.write(r)
        }
        let checks = zilChecks()
        for check in checks {
            var r = JSONLine(event: "zil_check")
            r.set("check", "Z-IL = BP (\(check.precision))")
            r.set("precision", check.precision)
            r.set("max_rel_diff", check.maxRelativeDifference)
            r.set("depth", spec.depth)
            r.set("output_precision", 1.0)
            r.set("tolerance", check.tolerance)
            r.set("passed", check.passed)
            r.set("samples", samples)
            r.set("network", network)
            log.write(r)
        }
        return (points, checks)
    }
}
