import Foundation
import PlexusData
import PlexusLearning
import PlexusNumerics

/// `plexus compare`: trains every requested rule on the same data, seed, network and schedule, one
/// after the other, into one metrics log; then measures, on the trained IL network and a held-out
/// batch, how IL approaches BP as T grows and the output precision shrinks, and that Z-IL equals BP.
///
/// Each rule's run is an ordinary training run (the trainer's `start`, `eval`, `alignment`, `energy`
/// and `done` records, every line naming its rule), so the merged log reads like the logs of
/// separate `plexus train` runs joined together.
public final class Comparison {
    /// Trains one rule somewhere other than this process (e.g. on a local cluster), writing its
    /// records into the log, and returns its final parameters (for the IL sweep) if it can.
    public typealias ExternalRun = (_ config: TrainConfig, _ log: MetricsLog) throws -> Parameters<Double>?

    /// A rule whose training failed (diverged, say); the others still run.
    public struct Failure: Sendable {
        public var rule: Rule
        public var message: String
    }

    /// The shared flags: everything but the rule.
    public let base: TrainConfig
    public let rules: [Rule]
    public let log: MetricsLog
    public let progress: ProgressLine
    /// When set, each rule is trained through this instead of the in-process ``Trainer``.
    public var externalRun: ExternalRun?
    /// What the IL sweep and the Z-IL check found (after ``run()``).
    public private(set) var sweep: [InferenceStudy.SweepPoint] = []
    public private(set) var zilChecks: [InferenceStudy.ZILCheck] = []

    public init(base: TrainConfig, rules: [Rule], log: MetricsLog, progress: ProgressLine = ProgressLine()) {
        self.base = base
        self.rules = rules
        self.log = log
        self.progress = progress
    }

    /// The configuration of one rule's run: the shared one with `model.rule` set; Z-IL takes its own
    /// schedule (T = L steps at γ = 1) with unit output precision, as in Song et al. 2020 (its
    /// updates equal BP's at any π_L, but a small π_L costs digits to cancellation in x − μ).
    public static func config(for rule: Rule, base: TrainConfig) -> TrainConfig {
        var c = base
        c.model.rule = rule
        if rule == .zil {
            c.model.steps = c.model.depth
            c.model.gamma = 1
            c.model.outputPrecision = 1
        }
        c.metricsPath = nil
        c.savePath = nil
        c.label = "compare"
        return c
    }

    /// Checks the shared configuration and the rule list.
    public func validate() throws {
        guard !rules.isEmpty else { throw RunError("compare needs at least one rule") }
        if let twice = rules.first(where: { r in rules.filter { $0 == r }.count > 1 }) {
            throw RunError("rule '\(twice)' is listed twice in --rules")
        }
        for rule in rules { try Self.config(for: rule, base: base).validate() }
    }

    /// Trains every rule, then runs the inference study. A rule that fails is reported and skipped,
    /// so one diverging rule does not cost the others; the failures are returned.
    @discardableResult
    public func run() throws -> [Failure] {
        try validate()
        let start = Date()
        // Load once up front: a missing data set fails here, once, rather than once per rule.
        let test = try base.loadData().test
        let m = base.model
        progress.print("plexus compare: \(rules.count) rules (\(rules.map(\.rawValue).joined(separator: ", "))) on \(base.dataSpec), "
            + "layers \(m.widths.map(String.init).joined(separator: ",")), \(m.activation), \(m.energy), "
            + "\(base.epochs) epoch\(base.epochs == 1 ? "" : "s") of batch \(base.batch), seed \(base.seed)")
        var trainedIL: Parameters<Double>?
        var failures: [Failure] = []
        for (k, rule) in rules.enumerated() {
            let config = Self.config(for: rule, base: base)
            let tag = "rule \(k + 1)/\(rules.count) \(rule)"
            progress.print("")
            progress.print("── \(tag)" + (rule.usesInference ? " (T = \(config.model.steps), γ = \(Format.number(config.model.gamma)), "
                    + "π_L = \(Format.number(config.model.outputPrecision)))" : "")
                + "  [elapsed \(Format.seconds(Date().timeIntervalSince(start)))]")
            progress.prefix = tag + " · "
            defer { progress.prefix = "" }
            let ruleStart = Date()
            do {
                let trained: Parameters<Double>?
                if let externalRun {
                    trained = try externalRun(config, log)
                } else {
                    var captured: Parameters<Double>?
                    let trainer = Trainer(config: config, log: log, progress: progress)
                    if rule == .il { trainer.onFinish = { params, _ in captured = params } }
                    _ = try trainer.run()
                    trained = captured
                }
                if rule == .il { trainedIL = trained }
                progress.print("   \(rule) finished in \(Format.seconds(Date().timeIntervalSince(ruleStart)))")
            } catch {
                progress.clear()
                progress.print("   \(rule) failed after \(Format.seconds(Date().timeIntervalSince(ruleStart))): \(error)")
                failures.append(Failure(rule: rule, message: String(describing: error)))
            }
        }
        try study(trainedIL, test: test)
        progress.print("compare: done in \(Format.seconds(Date().timeIntervalSince(start)))"
            + (failures.isEmpty ? "" : "; failed: \(failures.map(\.rule.rawValue).joined(separator: ", "))"))
        return failures
    }

    /// The IL sweep and the Z-IL check on the trained IL network (a fresh one if il was not trained).
    func study(_ trained: Parameters<Double>?, test: Dataset) throws {
        let spec = Self.config(for: .il, base: base).model
        let params = trained ?? Parameters<Double>.initialized(spec: spec, seed: base.seed)
        let network = trained != nil ? "il after \(base.epochs) epoch\(base.epochs == 1 ? "" : "s")" : "fresh (seed \(base.seed))"
        var study = try InferenceStudy(spec: spec, params: params, test: test, batch: base.batch)
        study.threads = base.threads
        let total = study.steps.count * study.precisions.count
        progress.print("")
        progress.print("── IL sweep and Z-IL check on \(study.samples) held-out samples (network: \(network)): "
            + "T ∈ {\(study.steps.map(String.init).joined(separator: ","))} × π_L ∈ {\(study.precisions.map { Format.number($0) }.joined(separator: ","))}, "
            + "γ = \(Format.number(spec.gamma)); Z-IL vs BP in f64 and f32")
        var done = 0
        let result = study.record(into: log, network: network) { _ in
            done += 1
            self.progress.update("  IL sweep \(done)/\(total)", force: done == total)
        }
        progress.clear()
        sweep = result.sweep
        zilChecks = result.zil
        let longest = study.steps.max() ?? 0
        let row = study.precisions.compactMap { p in sweep.first { $0.outputPrecision == p && $0.steps == longest } }
            .map { "π_L \(Format.number($0.outputPrecision)): \(String(format: "%.4f", $0.cosine))" }
        progress.print("   IL mean cosine with BP at T = \(longest): " + row.joined(separator: ", "))
        progress.print("   Z-IL vs BP, largest relative difference: " + zilChecks.map {
            "\($0.precision) \(String(format: "%.2e", $0.maxRelativeDifference)) (\($0.passed ? "≤" : ">") \(String(format: "%.0e", $0.tolerance)))"
        }.joined(separator: ", "))
    }
}
