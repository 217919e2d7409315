import Foundation
import PlexusCluster
import PlexusData
import PlexusLearning
import PlexusNumerics
import PlexusWire

/// `plexus probe`: every requested rule's update on one batch, against the BP gradient.
enum ProbeCommand {
    static let options: [OptionSpec] = [
        OptionSpec("rules", "R,R,…", "rules to probe [bp,il,zil,fa,pcfa,pckp,dfa]"),
        OptionSpec("batch-index", "K", "probe batch K: samples K·B ..< (K+1)·B of the split, in file order [0]"),
        OptionSpec("split", "NAME", "train or test [train]"),
        OptionSpec("out", "FILE", "write every rule's update (descent directions) as a protobuf ProbeResult"),
    ] + TrainOptions.all.filter { ["data", "layers", "activation", "energy", "batch", "steps", "gamma", "output-precision",
                                   "kp-decay", "feedback-scale", "seed", "init", "precision", "threads"].contains($0.name) }

    static let help = helpText(
        usage: "plexus probe [--init CHECKPOINT | --seed N] [options]",
        about: """
        Takes a network (a checkpoint, or a fresh one from a seed) and one batch, computes the update each
        requested rule gives on that batch, and reports per layer the cosine similarity and norm ratio
        against the BP gradient, the energy before/after inference, and the feedback-vs-W angle.
        Updates are descent directions of the batch-mean loss (−∂L/∂W; the Hebbian eps_lᵀ f(x_{l−1}) / B).
        """,
        options: options)

    static func run(_ arguments: [String]) throws -> Int32 {
        if arguments.contains("--help") || arguments.contains("-h") { print(help); return 0 }
        let a = try ParsedArguments(command: "probe", arguments, options: options)
        var config = try TrainOptions.config(from: a)
        let rules = try (a.string("rules")?.split(separator: ",").map { try Rule.parse(String($0)) }) ?? Rule.allCases
        let k = try a.int("batch-index") ?? 0
        let split = a.string("split") ?? "train"
        guard split == "train" || split == "test" else { throw UsageError("--split must be train or test, got '\(split)'") }
        BLASThreads.set(1)
        config.trainLimit = nil
        let data = try config.loadData()
        let set = split == "train" ? data.train : data.test
        let b = config.batch
        guard k >= 0, (k + 1) * b <= set.count else {
            throw UsageError("--batch-index \(k) with --batch \(b) needs \((k + 1) * b) samples; the \(split) split has \(set.count)")
        }
        let checkpoint = try config.initPath.map { try CheckpointFile.read(from: $0) }
        switch config.precision {
        case .f32: try probe(Float.self, config, rules, set, k, checkpoint, out: a.string("out"))
        case .f64: try probe(Double.self, config, rules, set, k, checkpoint, out: a.string("out"))
        }
        return 0
    }

    static func probe<S: BLASScalar>(_: S.Type, _ config: TrainConfig, _ rules: [Rule], _ set: Dataset, _ k: Int,
                                     _ checkpoint: Checkpoint?, out: String?) throws {
        let b = config.batch
        let base = config.model
        let input = Matrix<S>(rows: b, cols: base.widths[0]), target = Matrix<S>(rows: b, cols: base.widths[base.depth])
        set.fillBatch((k * b)..<((k + 1) * b), inputs: input.data, targets: target.data)
        func paramsFor(_ spec: ModelSpec) throws -> Parameters<S> {
            if let checkpoint, let path = config.initPath {
                return try Parameters<Double>.fromCheckpoint(checkpoint, spec: spec, seed: config.seed, path: path).converted(to: S.self)
            }
            return Parameters<S>.initialized(spec: spec, seed: config.seed)
        }
        func specFor(_ rule: Rule) -> ModelSpec {
            var s = base
            s.rule = rule
            if rule == .zil { s.steps = s.depth; s.gamma = 1 }
            return s
        }
        let bpSpec = specFor(.bp)
        let bpUpdate = Parameters<S>(zerosFor: bpSpec, includeFeedback: false)
        let bpParams = try paramsFor(bpSpec)
        Learner<S>(spec: bpSpec, maxBatch: b, threads: config.threads)
            .computeUpdate(bpParams, input: input.view, target: target.view, into: bpUpdate)
        print("probe: batch \(k) (samples \(k * b)..<\((k + 1) * b)), layers \(base.widths.map(String.init).joined(separator: ",")), "
              + (config.initPath.map { "checkpoint \($0)" } ?? "fresh network, seed \(config.seed)") + ", \(config.precision)")
        print("rule   layer   cosine    norm ratio   angle(B,W)   energy before → after")
        var updates: [RuleUpdate] = []
        for rule in rules {
            let spec = specFor(rule)
            let params = rule == .bp ? bpParams : try paramsFor(spec)
            let update = Parameters<S>(zerosFor: spec, includeFeedback: false)
            let stats = Learner<S>(spec: spec, maxBatch: b, threads: config.threads)
                .computeUpdate(params, input: input.view, target: target.view, into: update, trajectory: true)
            let align = Diagnostics.alignment(update, against: bpUpdate)
            let angles = Diagnostics.feedbackAngles(params)
            for (i, l) in align.enumerated() {
                let angle = angles[i].map { String(format: "%8.2f°", $0) } ?? "       — "
                let energy = i == 0 ? String(format: "   %.4g → %.4g", stats.meanEnergyBefore, stats.meanEnergyAfter) : ""
                print(String(format: "%@ %5d %10.6f %12.6f", rule.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0), l.layer,
                             l.cosine, l.normRatio) + "    " + angle + energy)
            }
            let tensors = update.converted(to: Double.self).tensors()
            updates.append(RuleUpdate(rule: rule, tensors: tensors,
                                      alignment: align.enumerated().map { i, l in
                                          PlexusWire.LayerAlignment(layer: l.layer, cosine: l.cosine, normRatio: l.normRatio,
                                                                    feedbackAngleDegrees: angles[i] ?? .nan)
                                      },
                                      energyBefore: stats.meanEnergyBefore, energyAfter: stats.meanEnergyAfter,
                                      energyTrajectory: stats.meanEnergyTrajectory))
        }
        if let out {
            try ProbeResultFile.write(ProbeResult(model: base, batchIndex: k, batchSize: b, data: config.dataSpec, updates: updates), to: out)
            print("wrote \(out)")
        }
    }
}
