import PlexusNumerics

/// The theory checks of `plexus verify` (DESIGN.md §1), each against an independent computation.
public enum Verification {
    /// One check's outcome: a name, the measured value, the bound, and whether it held.
    public struct Check: Sendable {
        public var name: String
        public var network: String
        public var measured: Double
        public var bound: String
        public var passed: Bool
    }

    /// Random networks of several depths, widths, activations and output energies.
    public static let networks: [ModelSpec] = [
        ModelSpec(widths: [12, 10, 5], activation: .tanh, energy: .se),
        ModelSpec(widths: [20, 16, 12, 6], activation: .tanh, energy: .ce),
        ModelSpec(widths: [9, 14, 11, 8, 4], activation: .sigmoid, energy: .se),
        ModelSpec(widths: [16, 24, 10], activation: .gelu, energy: .ce),
        ModelSpec(widths: [10, 12, 12, 3], activation: .leakyRelu, energy: .se),
        ModelSpec(widths: [30, 20, 20, 20, 20, 10], activation: .tanh, energy: .ce),
    ]

    static func describe(_ s: ModelSpec) -> String {
        "\(s.widths.map(String.init).joined(separator: "-")) \(s.activation) \(s.energy)"
    }

    /// A random batch: inputs uniform in [0, 1), one-hot targets of random classes.
    public static func randomBatch<S: BLASScalar>(_ spec: ModelSpec, rows: Int, seed: UInt64) -> (Matrix<S>, Matrix<S>) {
        var rng = SeededRandom(seed: seed, stream: 7)
        let x = Matrix<S>(rows: rows, cols: spec.widths[0]), y = Matrix<S>(rows: rows, cols: spec.widths[spec.depth])
        for i in 0..<x.count { x.data[i] = S(rng.nextUnit()) }
        for r in 0..<rows { y[r, Int(rng.next() % UInt64(y.cols))] = 1 }
        return (x, y)
    }

    /// The update of `spec` (with `rule`) for a fresh network from `seed` on a random batch.
    public static func update<S: BLASScalar>(_ spec: ModelSpec, rule: Rule, seed: UInt64, rows: Int = 16,
                                             params given: Parameters<S>? = nil) -> Parameters<S> {
        var s = spec
        s.rule = rule
        if rule == .zil { s.steps = s.depth; s.gamma = 1 }
        let params = given ?? Parameters<S>.initialized(spec: s, seed: seed)
        let (x, y): (Matrix<S>, Matrix<S>) = randomBatch(s, rows: rows, seed: seed)
        let out = Parameters<S>(zerosFor: s, includeFeedback: false)
        Learner<S>(spec: s, maxBatch: rows, threads: 1).computeUpdate(params, input: x.view, target: y.view, into: out)
        return out
    }

    /// Z-IL's collected updates against BP's gradient (Song et al. 2020): ≤ 1e-12 relative in Float64,
    /// ≤ 1e-5 in Float32.
    public static func zilEqualsBP() -> [Check] {
        var checks: [Check] = []
        for (i, spec) in networks.enumerated() {
            let d64 = Diagnostics.maxRelativeDifference(update(spec, rule: .zil, seed: UInt64(i)) as Parameters<Double>,
                                                        update(spec, rule: .bp, seed: UInt64(i)) as Parameters<Double>)
            checks.append(Check(name: "Z-IL = BP (f64)", network: describe(spec), measured: d64, bound: "≤ 1e-12", passed: d64 <= 1e-12))
            let d32 = Diagnostics.maxRelativeDifference(update(spec, rule: .zil, seed: UInt64(i)) as Parameters<Float>,
                                                        update(spec, rule: .bp, seed: UInt64(i)) as Parameters<Float>)
            checks.append(Check(name: "Z-IL = BP (f32)", network: describe(spec), measured: d32, bound: "≤ 1e-5", passed: d32 <= 1e-5))
        }
        return checks
    }

    /// BP's gradient against central finite differences of the batch-mean loss, computed from
    /// feedforward evaluations only (Float64, h = 1e-6), on a sample of coordinates of every tensor.
    public static func bpMatchesFiniteDifferences() -> [Check] {
        networks.enumerated().map { i, spec in
            var s = spec
            s.rule = .bp
            let rows = 8
            let params = Parameters<Double>.initialized(spec: s, seed: UInt64(100 + i))
            let grad: Parameters<Double> = update(s, rule: .bp, seed: UInt64(100 + i), rows: rows, params: params)
            let (x, y): (Matrix<Double>, Matrix<Double>) = randomBatch(s, rows: rows, seed: UInt64(100 + i))
            let learner = Learner<Double>(spec: s, maxBatch: rows)
            func loss() -> Double { learner.evaluate(params, input: x.view, target: y.view).meanLoss }
            var worst = 0.0
            let h = 1e-6
            for (p, g) in zip(params.weights + params.biases, grad.weights + grad.biases) {
                for k in stride(from: 0, to: p.count, by: Swift.max(1, p.count / 9)) {
                    let saved = p.data[k]
                    p.data[k] = saved + h
                    let up = loss()
                    p.data[k] = saved - h
                    let down = loss()
                    p.data[k] = saved
                    let numeric = -(up - down) / (2 * h)
                    worst = Swift.max(worst, abs(numeric - g.data[k]) / Swift.max(1e-3, abs(numeric)))
                }
            }
            return Check(name: "BP = finite differences", network: describe(spec), measured: worst, bound: "≤ 1e-6", passed: worst <= 1e-6)
        }
    }

    /// IL's mean per-layer cosine with BP (Whittington & Bogacz 2017) for each output precision and
    /// number of inference steps, on one network and batch (γ = 0.1).
    public static func ilSweep(spec: ModelSpec = networks[1], precisions: [Double] = [1, 0.1, 0.01, 0.001],
                               steps: [Int] = [1, 5, 20, 100, 400], seed: UInt64 = 3) -> [(precision: Double, steps: Int, cosine: Double, layers: [LayerAlignment])] {
        var out: [(Double, Int, Double, [LayerAlignment])] = []
        let bp: Parameters<Double> = update(spec, rule: .bp, seed: seed)
        for p in precisions {
            for t in steps {
                var s = spec
                s.outputPrecision = p
                s.steps = t
                s.gamma = 0.1
                let il: Parameters<Double> = update(s, rule: .il, seed: seed)
                let layers = Diagnostics.alignment(il, against: bp)
                out.append((p, t, layers.map(\.cosine).reduce(0, +) / Double(layers.count), layers))
            }
        }
        return out
    }

    /// IL approaches BP: with many steps its alignment rises as the output precision shrinks, and
    /// at the smallest precision the mean cosine is above 0.999.
    public static func ilApproachesBP() -> [Check] {
        let sweep = ilSweep()
        let longest = sweep.map(\.steps).max()!
        let atEquilibrium = sweep.filter { $0.steps == longest }.sorted { $0.precision > $1.precision }
        let rising = zip(atEquilibrium, atEquilibrium.dropFirst()).allSatisfy { $1.cosine >= $0.cosine - 1e-9 }
        let smallest = atEquilibrium.last!
        let few = sweep.first { $0.precision == smallest.precision && $0.steps == 20 }!
        return [
            Check(name: "IL cosine rises as π_L shrinks (T = \(longest))", network: describe(networks[1]),
                  measured: atEquilibrium.map(\.cosine).last!, bound: "non-decreasing", passed: rising),
            Check(name: "IL nearer BP after T = \(longest) than T = 20 (π_L = \(smallest.precision))", network: describe(networks[1]),
                  measured: smallest.cosine - few.cosine, bound: "> 0", passed: smallest.cosine > few.cosine),
            Check(name: "IL → BP (π_L = \(smallest.precision), T = \(longest))", network: describe(networks[1]),
                  measured: smallest.cosine, bound: "cos ≥ 0.999", passed: smallest.cosine >= 0.999),
        ]
    }

    /// Trains `rule` for `steps` updates on random batches and returns the mean B-versus-W angle
    /// (degrees) before and after.
    public static func feedbackAngleOverTraining(rule: Rule, steps: Int = 500, seed: UInt64 = 5) -> (before: Double, after: Double, feedbackChanged: Bool) {
        var spec = ModelSpec(widths: [20, 32, 32, 5], activation: .tanh, energy: .ce, rule: rule, steps: 10, gamma: 0.1, kpDecay: 2e-2)
        spec.rule = rule
        let params = Parameters<Float>.initialized(spec: spec, seed: seed)
        let learner = Learner<Float>(spec: spec, maxBatch: 32)
        let optimizer = Optimizer<Float>(OptimizerSpec(lr: 1e-3), model: spec)
        let update = Parameters<Float>(zerosFor: spec, includeFeedback: false)
        func meanAngle() -> Double {
            let a = Diagnostics.feedbackAngles(params).compactMap { $0 }
            return a.reduce(0, +) / Double(a.count)
        }
        let before = meanAngle()
        let initialFeedback = params.feedback.mapValues { $0.array }
        // A learnable task (labels from a fixed random linear teacher), so the updates are consistent
        // and W grows, rather than a random walk that the decay would shrink towards zero.
        var teacherRng = SeededRandom(seed: seed, stream: 11)
        let classes = spec.widths[spec.depth]
        let teacher = (0..<(spec.widths[0] * classes)).map { _ in teacherRng.normal() }
        for k in 0..<steps {
            let (x, y): (Matrix<Float>, Matrix<Float>) = randomBatch(spec, rows: 32, seed: seed &+ UInt64(k))
            y.fill(0)
            for r in 0..<x.rows {
                let scores = (0..<classes).map { c in (0..<x.cols).reduce(0.0) { $0 + Double(x[r, $1]) * teacher[$1 * classes + c] } }
                y[r, scores.indices.max { scores[$0] < scores[$1] }!] = 1
            }
            learner.computeUpdate(params, input: x.view, target: y.view, into: update)
            optimizer.apply(update, to: params)
        }
        return (before, meanAngle(), params.feedback.contains { initialFeedback[$0.key]! != $0.value.array })
    }

    /// pckp's B aligns with W over training (the angle falls from about 90° to below 30°); pcfa's B
    /// stays the random matrix it was drawn as (bit for bit), so its angle stays large (above 60°; W
    /// may turn towards B a little, as in feedback alignment).
    public static func feedbackAlignment() -> [Check] {
        let kp = feedbackAngleOverTraining(rule: .pckp)
        let fa = feedbackAngleOverTraining(rule: .pcfa)
        return [
            Check(name: "pckp: angle(B, W) falls (from \(Int(kp.before.rounded()))°)", network: "20-32-32-5 tanh ce",
                  measured: kp.after, bound: "< 30°", passed: kp.after < 30 && kp.before > 80),
            Check(name: "pcfa: B fixed, angle(B, W) stays large (from \(Int(fa.before.rounded()))°)", network: "20-32-32-5 tanh ce",
                  measured: fa.after, bound: "> 60°", passed: fa.after > 60 && !fa.feedbackChanged),
        ]
    }
}
