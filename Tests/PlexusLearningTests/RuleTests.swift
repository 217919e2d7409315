import Testing
import PlexusLearning
import PlexusNumerics

/// Networks of several depths, widths, activations and energies.
let networks: [ModelSpec] = [
    ModelSpec(widths: [5, 4, 3], activation: .tanh, energy: .se),
    ModelSpec(widths: [6, 7, 5, 3], activation: .tanh, energy: .ce),
    ModelSpec(widths: [4, 6, 6, 5, 2], activation: .sigmoid, energy: .se),
    ModelSpec(widths: [8, 5, 4], activation: .gelu, energy: .ce),
    ModelSpec(widths: [7, 9, 8, 4], activation: .leakyRelu, energy: .se),
]

func with(_ spec: ModelSpec, rule: Rule, steps: Int? = nil, gamma: Double? = nil, precision: Double? = nil) -> ModelSpec {
    var s = spec
    s.rule = rule
    if let steps { s.steps = steps }
    if let gamma { s.gamma = gamma }
    if let precision { s.outputPrecision = precision }
    return s
}

func update<S: BLASScalar>(_ spec: ModelSpec, seed: UInt64, rows: Int, threads: Int = 1, as _: S.Type) -> (Parameters<S>, Parameters<S>, [[Double]], [[Double]]) {
    let params = Parameters<S>.initialized(spec: spec, seed: seed)
    let (input, target, xs, ys) = randomBatch(spec, rows: rows, seed: seed, as: S.self)
    let learner = Learner<S>(spec: spec, maxBatch: rows, threads: threads)
    let out = Parameters<S>(zerosFor: spec, includeFeedback: false)
    learner.computeUpdate(params, input: input.view, target: target.view, into: out)
    return (params, out, xs, ys)
}

@Test("Z-IL equals BP in Float64 at rounding level", arguments: Array(networks.indices))
func zilEqualsBPFloat64(_ i: Int) {
    let zil = update(with(networks[i], rule: .zil, steps: networks[i].depth), seed: UInt64(i), rows: 9, as: Double.self).1
    let bp = update(with(networks[i], rule: .bp), seed: UInt64(i), rows: 9, as: Double.self).1
    let d = Diagnostics.maxRelativeDifference(zil, bp)
    #expect(d <= 1e-12, "Z-IL vs BP relative difference \(d)")
}

@Test("Z-IL equals BP in Float32 to 1e-5", arguments: Array(networks.indices))
func zilEqualsBPFloat32(_ i: Int) {
    let zil = update(with(networks[i], rule: .zil, steps: 30), seed: UInt64(i), rows: 16, threads: 2, as: Float.self).1
    let bp = update(with(networks[i], rule: .bp), seed: UInt64(i), rows: 16, as: Float.self).1
    #expect(Diagnostics.maxRelativeDifference(zil, bp) <= 1e-5)
}

@Test("every rule matches the direct per-sample reference", arguments: Rule.allCases, Array(networks.indices))
func ruleMatchesReference(_ rule: Rule, _ i: Int) {
    let spec = with(networks[i], rule: rule, steps: rule == .zil ? networks[i].depth : 7, gamma: 0.2, precision: 0.5)
    let (params, out, xs, ys) = update(spec, seed: UInt64(10 + i), rows: 6, threads: 2, as: Double.self)
    let expected = Reference(params).batchUpdate(xs, ys)
    let d = relativeDifference(flat(out), expected)
    #expect(d <= 1e-11, "\(rule) on \(spec.widths): relative difference \(d)")
}

@Test("BP equals central finite differences of the batch-mean loss", arguments: Array(networks.indices))
func bpMatchesFiniteDifferences(_ i: Int) {
    let spec = with(networks[i], rule: .bp)
    let (params, out, xs, ys) = update(spec, seed: UInt64(20 + i), rows: 5, as: Double.self)
    let h = 1e-6
    for l in 0..<spec.depth {
        for (m, g) in [(params.weights[l], out.weights[l]), (params.biases[l], out.biases[l])] {
            for k in stride(from: 0, to: m.count, by: max(1, m.count / 7)) {
                let saved = m.data[k]
                func meanLoss() -> Double {
                    let r = Reference(params)
                    return zip(xs, ys).reduce(0) { $0 + r.loss($1.0, $1.1) } / Double(xs.count)
                }
                m.data[k] = saved + h
                let up = meanLoss()
                m.data[k] = saved - h
                let down = meanLoss()
                m.data[k] = saved
                let numeric = -(up - down) / (2 * h)
                #expect(abs(numeric - g.data[k]) <= 1e-7 * max(1, abs(numeric)), "layer \(l + 1) index \(k): fd \(numeric) vs bp \(g.data[k])")
            }
        }
    }
}

@Test("splitting a batch over threads changes nothing but summation order", arguments: [Rule.bp, .il, .pckp, .dfa])
func threadsAgree(_ rule: Rule) {
    let spec = with(networks[1], rule: rule)
    let one = update(spec, seed: 3, rows: 11, threads: 1, as: Double.self).1
    let three = update(spec, seed: 3, rows: 11, threads: 3, as: Double.self).1
    #expect(Diagnostics.maxRelativeDifference(one, three) <= 1e-13)
}
