import PlexusData
import PlexusLearning
import PlexusNumerics

/// Measures, on a few fixed held-out batches, how the rule's update aligns with the BP gradient for
/// the current weights, the energy trajectory of inference on each batch, and the feedback-versus-W
/// angles; logs one `alignment` record and one `energy` record per batch.
///
/// The alignment is that of the rule's update over all probe batches together (the sum of the
/// per-batch updates) against the BP gradient over the same samples, so it is as steady as one
/// measurement on `batches × batch` samples.
public final class AlignmentProbe<S: BLASScalar> {
    let spec: ModelSpec
    let rule: Learner<S>
    let bp: Learner<S>
    /// The probe batches: test samples `k·rows ..< (k+1)·rows` for k = 0…batches−1.
    let inputs: [Matrix<S>]
    let targets: [Matrix<S>]
    let ruleUpdate: Parameters<S>
    let bpUpdate: Parameters<S>
    let ruleSum: Parameters<S>
    let bpSum: Parameters<S>

    /// - Parameters:
    ///   - batch: samples per probe batch.
    ///   - batches: how many disjoint batches to probe (fewer when the test set is smaller).
    public init(spec: ModelSpec, test: Dataset, batch: Int, threads: Int, batches: Int = 3) {
        self.spec = spec
        var bpSpec = spec
        bpSpec.rule = .bp
        let rows = Swift.max(1, batch)
        rule = Learner(spec: spec, maxBatch: rows, threads: threads)
        bp = Learner(spec: bpSpec, maxBatch: rows, threads: threads)
        let count = Swift.max(1, Swift.min(batches, test.count / rows))
        var inputs: [Matrix<S>] = [], targets: [Matrix<S>] = []
        for k in 0..<count {
            let x = Matrix<S>(rows: rows, cols: spec.widths[0]), y = Matrix<S>(rows: rows, cols: spec.widths[spec.depth])
            let start = k * rows
            if start < test.count { test.fillBatch(start..<Swift.min(start + rows, test.count), inputs: x.data, targets: y.data) }
            inputs.append(x)
            targets.append(y)
        }
        self.inputs = inputs
        self.targets = targets
        ruleUpdate = Parameters(zerosFor: spec, includeFeedback: false)
        bpUpdate = Parameters(zerosFor: spec, includeFeedback: false)
        ruleSum = Parameters(zerosFor: spec, includeFeedback: false)
        bpSum = Parameters(zerosFor: spec, includeFeedback: false)
    }

    /// Number of probe batches.
    public var batchCount: Int { inputs.count }

    /// Per-layer alignment of the rule with BP for `params` over all probe batches, and each
    /// batch's stats (with its energy trajectory).
    public func measure(_ params: Parameters<S>) -> (layers: [LayerAlignment], stats: [BatchStats]) {
        ruleSum.zero()
        bpSum.zero()
        var stats: [BatchStats] = []
        for (x, y) in zip(inputs, targets) {
            stats.append(rule.computeUpdate(params, input: x.view, target: y.view, into: ruleUpdate, trajectory: true))
            bp.computeUpdate(params, input: x.view, target: y.view, into: bpUpdate)
            ruleSum.add(ruleUpdate)
            bpSum.add(bpUpdate)
        }
        return (Diagnostics.alignment(ruleSum, against: bpSum), stats)
    }

    /// Measures and writes the `alignment` record and, for PC rules, one `energy` record per batch.
    public func record(_ params: Parameters<S>, epoch: Int, log: MetricsLog, round: Int? = nil) {
        let (layers, stats) = measure(params)
        var a = JSONLine(event: "alignment")
        a.set("rule", spec.rule.rawValue)
        a.set("epoch", epoch)
        if let round { a.set("round", round) }
        a["layers"] = .array(layers.map { l in
            var o = JSONLine()
            o.set("layer", l.layer)
            o.set("cosine", l.cosine)
            o.set("norm_ratio", l.normRatio)
            return .object(o)
        })
        a["feedback_angle_degrees"] = .array(Diagnostics.feedbackAngles(params).map { $0.map { .number($0) } ?? .null })
        a.set("probe_samples", stats.reduce(0) { $0 + $1.samples })
        log.write(a)
        guard spec.rule.usesInference else { return }
        for (k, s) in stats.enumerated() {
            var e = JSONLine(event: "energy")
            e.set("rule", spec.rule.rawValue)
            e.set("epoch", epoch)
            if let round { e.set("round", round) }
            e.set("batch", k)
            e.set("trajectory", s.meanEnergyTrajectory)
            log.write(e)
        }
    }
}
