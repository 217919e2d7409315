import PlexusData
import PlexusLearning
import PlexusNumerics

/// Measures, on a fixed held-out batch, how the rule's update aligns with the BP gradient for the
/// current weights, the energy trajectory of inference, and the feedback-versus-W angles; logs an
/// `alignment` and an `energy` record.
public final class AlignmentProbe<S: BLASScalar> {
    let spec: ModelSpec
    let rule: Learner<S>
    let bp: Learner<S>
    let input: Matrix<S>
    let target: Matrix<S>
    let ruleUpdate: Parameters<S>
    let bpUpdate: Parameters<S>

    public init(spec: ModelSpec, test: Dataset, batch: Int, threads: Int) {
        self.spec = spec
        var bpSpec = spec
        bpSpec.rule = .bp
        let rows = Swift.max(1, batch)
        rule = Learner(spec: spec, maxBatch: rows, threads: threads)
        bp = Learner(spec: bpSpec, maxBatch: rows, threads: threads)
        input = Matrix(rows: rows, cols: spec.widths[0])
        target = Matrix(rows: rows, cols: spec.widths[spec.depth])
        ruleUpdate = Parameters(zerosFor: spec, includeFeedback: false)
        bpUpdate = Parameters(zerosFor: spec, includeFeedback: false)
        if test.count > 0 { test.fillBatch(0..<Swift.min(rows, test.count), inputs: input.data, targets: target.data) }
    }

    /// Per-layer alignment of the rule with BP for `params` on the probe batch, plus the stats.
    public func measure(_ params: Parameters<S>) -> (layers: [LayerAlignment], stats: BatchStats) {
        let stats = rule.computeUpdate(params, input: input.view, target: target.view, into: ruleUpdate, trajectory: true)
        bp.computeUpdate(params, input: input.view, target: target.view, into: bpUpdate)
        return (Diagnostics.alignment(ruleUpdate, against: bpUpdate), stats)
    }

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
        log.write(a)
        if spec.rule.usesInference {
            var e = JSONLine(event: "energy")
            e.set("rule", spec.rule.rawValue)
            e.set("epoch", epoch)
            e.set("batch", 0)
            e.set("trajectory", stats.meanEnergyTrajectory)
            log.write(e)
        }
    }
}
