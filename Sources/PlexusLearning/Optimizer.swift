import PlexusNumerics

/// Applies descent directions to parameters: SGD with momentum, Adam (Kingma & Ba 2015) or AdamW
/// (Loshchilov & Hutter 2019). Directions `d` point downhill (`d = −∂L/∂θ`), so steps are added.
///
/// For `pckp` the step taken by `W_l` is also taken by `B_l` (ΔB = ΔW, Akrout et al. 2019), and both
/// then decay: `W ← (1 − λs)W`, `B ← (1 − λs)B` with `s` the schedule's `lrScale`, so `W − B` shrinks
/// geometrically and B aligns with W.
public final class Optimizer<Scalar: BLASScalar>: @unchecked Sendable {
    public let spec: OptimizerSpec
    public let model: ModelSpec
    /// First moments (momentum buffer for SGD), shaped like weights and biases.
    public let first: Parameters<Scalar>
    /// Second moments (Adam/AdamW only).
    public let second: Parameters<Scalar>
    /// Number of steps taken.
    public var step: Int = 0
    /// Multiplier of the learning rate for the next step (a schedule sets it; 1 = `spec.lr`).
    public var lrScale: Double = 1
    /// Threads that share the elementwise work of a step.
    public var threads: Int = 1
    private let scratch: Parameters<Scalar>

    public init(_ spec: OptimizerSpec, model: ModelSpec) {
        self.spec = spec
        self.model = model
        first = Parameters(zerosFor: model, includeFeedback: false)
        second = Parameters(zerosFor: model, includeFeedback: false)
        scratch = Parameters(zerosFor: model, includeFeedback: false)
    }

    /// `params ← params + step(direction)`.
    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func apply(_ direction: Parameters<Scalar>, to params: Parameters<Scalar>) {
        step += 1
        let lr = spec.lr * lrScale, wd = spec.weightDecay
        let bc1 = 1 - pow(spec.beta1, Double(step)), bc2 = 1 - pow(spec.beta2, Double(step))
        for l in 0..<params.weights.count {
            for (p, d, m, v, s) in [
                (params.weights[l], direction.weights[l], first.weights[l], second.weights[l], scratch.weights[l]),
                (params.biases[l], direction.biases[l], first.biases[l], second.biases[l], scratch.biases[l]),
            ] {
                // Large tensors are split over the threads (the update is elementwise).
                let parts = p.count >= 1 << 15 ? threads : 1
                let chunk = (p.count + parts - 1) / parts
                Parallel.run(parts) { i in
                    let start = i * chunk, n = Swift.min(chunk, p.count - start)
                    guard n > 0 else { return }
                    computeStep(p.data + start, d.data + start, m.data + start, v.data + start, s.data + start, count: n,
                                lr: lr, wd: wd, bc1: bc1, bc2: bc2)
                }
            }
            if model.rule == .pckp, let b = params.feedback[l + 1] {
                Kernels.axpy(1, scratch.weights[l].data, b.data, count: b.count)
            }
        }
        if model.rule == .pckp && model.kpDecay > 0 {
            // The decay follows the learning-rate schedule, so that it does not shrink the weights
            // once the steps have decayed away.
            let keep = Scalar(1 - model.kpDecay * lrScale)
            for w in params.weights { scale(w, keep) }
            for b in params.feedback.values { scale(b, keep) }
        }
    }

    private func scale(_ m: Matrix<Scalar>, _ factor: Scalar) {
        for i in 0..<m.count { m.data[i] *= factor }
    }

    /// Takes the step for one tensor: `p += step`, and writes the step into `s`.
    private func computeStep(_ p: UnsafeMutablePointer<Scalar>, _ d: UnsafeMutablePointer<Scalar>,
                             _ m: UnsafeMutablePointer<Scalar>, _ v: UnsafeMutablePointer<Scalar>,
                             _ s: UnsafeMutablePointer<Scalar>, count: Int, lr: Double, wd: Double, bc1: Double, bc2: Double) {
        switch spec.kind {
        case .sgd:
            // v ← μv + (d − λθ);  θ ← θ + lr·v
            let mu = Scalar(spec.momentum), l = Scalar(lr), decay = Scalar(wd)
            for i in 0..<count {
                let g = d[i] - decay * p[i]
                let mi = mu * m[i] + g
                m[i] = mi
                s[i] = l * mi
                p[i] += l * mi
            }
        case .adam, .adamw:
            // m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  step = lr · m̂ / (√v̂ + ε)  [− lr·λ·θ for AdamW]
            let b1 = Scalar(spec.beta1), b2 = Scalar(spec.beta2), eps = Scalar(spec.eps)
            let a = Scalar(lr / bc1), c = Scalar(1 / bc2.squareRoot())
            let decoupled = spec.kind == .adamw
            let l2 = decoupled ? Scalar(0) : Scalar(wd), dw = decoupled ? Scalar(lr * wd) : 0
            // One pass over memory: the step is applied here as well as kept in `s` (for pckp's B).
            for i in 0..<count {
                let g = d[i] - l2 * p[i]
                let mi = b1 * m[i] + (1 - b1) * g, vi = b2 * v[i] + (1 - b2) * g * g
                m[i] = mi
                v[i] = vi
                let step = a * mi / (vi.squareRoot() * c + eps) - dw * p[i]
                s[i] = step
                p[i] += step
            }
        }
    }

    /// Optimizer state as named tensors (`opt.m.<name>`, `opt.v.<name>`), for checkpoints.
    public var stateTensors: [(name: String, matrix: Matrix<Scalar>)] {
        first.namedTensors.map { ("opt.m.\($0.name)", $0.matrix) } + second.namedTensors.map { ("opt.v.\($0.name)", $0.matrix) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
