import Foundation
import PlexusLearning
import PlexusNumerics
import Testing

/// The optimizers against the textbook formulas, written out per scalar.
@Test("SGD, Adam and AdamW steps equal a direct scalar implementation", arguments: OptimizerSpec.Kind.allCases)
func optimizerMatchesFormula(_ kind: OptimizerSpec.Kind) {
    let spec = ModelSpec(widths: [300, 200, 3], rule: .bp)
    let opt = OptimizerSpec(kind: kind, lr: 0.01, momentum: 0.8, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.05)
    let params = Parameters<Double>.initialized(spec: spec, seed: 1)
    let optimizer = Optimizer<Double>(opt, model: spec)
    optimizer.threads = 2  // 60,000 weights: the split path runs
    var theta = params.weights[0].array, m = [Double](repeating: 0, count: theta.count), v = m
    for step in 1...3 {
        let direction = Parameters<Double>.initialized(spec: spec, seed: UInt64(10 + step))
        let d = direction.weights[0].array
        let scale = 1.0 / Double(step)
        optimizer.lrScale = scale
        optimizer.apply(direction, to: params)
        let lr = opt.lr * scale
        for i in 0..<theta.count {
            switch kind {
            case .sgd:
                m[i] = opt.momentum * m[i] + (d[i] - opt.weightDecay * theta[i])
                theta[i] += lr * m[i]
            case .adam, .adamw:
                let g = kind == .adam ? d[i] - opt.weightDecay * theta[i] : d[i]
                m[i] = opt.beta1 * m[i] + (1 - opt.beta1) * g
                v[i] = opt.beta2 * v[i] + (1 - opt.beta2) * g * g
                let mHat = m[i] / (1 - pow(opt.beta1, Double(step))), vHat = v[i] / (1 - pow(opt.beta2, Double(step)))
                theta[i] += lr * mHat / (vHat.squareRoot() + opt.eps) - (kind == .adamw ? lr * opt.weightDecay * theta[i] : 0)
            }
        }
        let got = params.weights[0].array
        let worst = zip(got, theta).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-12, "\(kind) step \(step): \(worst)")
    }
}

@Test("pckp: B takes W's step and both decay by (1 − λs), so W − B shrinks by exactly that factor")
func kolenPollack() {
    let spec = ModelSpec(widths: [30, 20, 10, 4], rule: .pckp, kpDecay: 0.05)
    let params = Parameters<Double>.initialized(spec: spec, seed: 2)
    let optimizer = Optimizer<Double>(OptimizerSpec(), model: spec)
    let before = (2...3).map { l in zip(params.weights[l - 1].array, params.feedback[l]!.array).map { $0 - $1 } }
    optimizer.lrScale = 0.5
    optimizer.apply(Parameters<Double>.initialized(spec: spec, seed: 3), to: params)
    for (k, l) in (2...3).enumerated() {
        let after = zip(params.weights[l - 1].array, params.feedback[l]!.array).map { $0 - $1 }
        for (a, b) in zip(after, before[k]) { #expect(abs(a - (1 - 0.05 * 0.5) * b) < 1e-15) }
    }
}
