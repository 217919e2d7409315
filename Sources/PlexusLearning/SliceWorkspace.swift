import PlexusNumerics

/// Buffers and the per-rule computations for one contiguous slice of a batch (DESIGN.md §1).
///
/// Every rule is per-sample independent given the weights, so a batch is split into slices that run
/// on separate threads, each with its own workspace and its own gradient accumulator. All buffers are
/// allocated once for `capacity` rows; a call works on the first `rows` of them.
///
/// Arrays are indexed by layer `l` (index 0 of per-layer arrays is an unused 0 × 0 matrix).
final class SliceWorkspace<S: BLASScalar>: @unchecked Sendable {
    let spec: ModelSpec
    let capacity: Int
    /// `mu_l = f(x_{l−1}) W_lᵀ + b_l`, l = 1…L (bias included).
    let mu: [Matrix<S>]
    /// Value nodes `x_l` (pre-activations), hidden layers l = 1…L−1.
    let x: [Matrix<S>]
    /// `f(x_l)` and `f′(x_l)`, hidden layers.
    let fx: [Matrix<S>]
    let dfx: [Matrix<S>]
    /// Errors: `eps_l = x_l − mu_l` for hidden layers, and the precision-weighted output error
    /// `π_L (y − out)` (SE) or `π_L (y − softmax(mu_L))` (CE). BP-shaped rules keep their deltas here.
    let eps: [Matrix<S>]
    /// `eps_{l+1} · M_{l+1}`, the signal arriving at hidden layer l through the feedback matrix.
    let back: [Matrix<S>]
    /// This slice's sum of updates (unnormalised by the caller's batch size, see `accumulate`).
    let grads: Parameters<S>

    init(spec: ModelSpec, capacity: Int) {
        self.spec = spec
        self.capacity = capacity
        let L = spec.depth, w = spec.widths
        let empty = Matrix<S>(rows: 0, cols: 0)
        func perLayer(_ range: ClosedRange<Int>) -> [Matrix<S>] {
            (0...L).map { range.contains($0) ? Matrix<S>(rows: capacity, cols: w[$0]) : empty }
        }
        mu = perLayer(1...L)
        eps = perLayer(1...L)
        x = L >= 2 ? perLayer(1...(L - 1)) : [empty]
        fx = L >= 2 ? perLayer(1...(L - 1)) : [empty]
        dfx = L >= 2 ? perLayer(1...(L - 1)) : [empty]
        back = L >= 2 ? perLayer(1...(L - 1)) : [empty]
        grads = Parameters(zerosFor: spec, includeFeedback: false)
    }

    /// The presynaptic activity of layer l: `x_0` for l = 1, else `f(x_{l−1})`.
    @inline(__always)
    func presynaptic(_ l: Int, input: MatrixView<S>, rows: Int) -> MatrixView<S> {
        l == 1 ? input : fx[l - 1].rows(0, rows)
    }

    // MARK: Feedforward

    /// The feedforward pass `x_l = mu_l` for all l (the BP network and the PC prediction).
    func forward(_ params: Parameters<S>, input: MatrixView<S>) {
        let rows = input.rows, L = spec.depth
        for l in 1...L {
            let m = mu[l].rows(0, rows)
            BLAS.gemm(presynaptic(l, input: input, rows: rows), params.weights[l - 1].view, transposeB: true, into: m)
            Kernels.addRowVector(m, params.biases[l - 1].data)
            if l < L {
                x[l].data.update(from: m.data, count: m.count)
                spec.activation.apply(x[l].data, fx[l].data, derivative: dfx[l].data, count: m.count)
            }
        }
    }

    /// Sets `eps[L]` to the weighted output error for target `y` and returns Σ over the slice of the
    /// unweighted output loss (SE: ½‖y − mu_L‖², CE: −Σ y log softmax(mu_L)).
    func outputError(target: MatrixView<S>, precision: S) -> Double {
        let L = spec.depth, rows = target.rows, n = spec.widths[L]
        let out = mu[L].rows(0, rows), e = eps[L].rows(0, rows)
        var loss = 0.0
        switch spec.energy {
        case .se:
            for i in 0..<out.count {
                let d = target.data[i] - out.data[i]
                e.data[i] = precision * d
                loss += Double(d * d)
            }
            loss *= 0.5
        case .ce:
            Kernels.softmaxRows(out, into: e)
            for r in 0..<rows {
                let p = e.data + r * n, y = target.data + r * n
                for c in 0..<n {
                    if y[c] != 0 { loss -= Double(y[c]) * Double(S.elementaryLog(Swift.max(p[c], S.leastNormalMagnitude))) }
                    p[c] = precision * (y[c] - p[c])
                }
            }
        }
        return loss
    }

    /// Samples whose feedforward output argmax matches the target's argmax.
    func correctCount(target: MatrixView<S>) -> Int {
        let out = mu[spec.depth].rows(0, target.rows)
        var correct = 0
        for r in 0..<target.rows where Kernels.argmax(row: r, of: out) == Kernels.argmax(row: r, of: target) {
            correct += 1
        }
        return correct
    }

    // MARK: Updates

    /// `ΔW_l = scale · eps_lᵀ f(x_{l−1})`, `Δb_l = scale · Σ_rows eps_l`: post-synaptic error times
    /// pre-synaptic activity (the Hebbian product; for BP-shaped rules eps holds the deltas). Every
    /// rule takes each layer's update exactly once per batch, so this overwrites (no zeroing pass).
    func accumulate(layer l: Int, input: MatrixView<S>, scale: S) {
        let rows = input.rows
        let e = eps[l].rows(0, rows)
        BLAS.gemm(e, transposeA: true, presynaptic(l, input: input, rows: rows), into: grads.weights[l - 1].view,
                  alpha: scale, beta: 0)
        Kernels.columnSums(e, into: grads.biases[l - 1].data, alpha: scale, beta: 0)
    }

    /// A BP-shaped backward pass from `eps[L]`: `δ_l = f′(x_l) ⊙ (δ_{l+1} M_{l+1})` with M the forward
    /// weights (bp), a fixed random B (fa); for dfa `δ_l = f′(x_l) ⊙ (δ_L D_l)` (Nøkland 2016).
    func backward(_ params: Parameters<S>, rows: Int) {
        let L = spec.depth
        guard L >= 2 else { return }
        for l in stride(from: L - 1, through: 1, by: -1) {
            let b = back[l].rows(0, rows)
            switch spec.rule {
            case .dfa:
                BLAS.gemm(eps[L].rows(0, rows), params.feedback[l]!.view, into: b)
            case .fa:
                BLAS.gemm(eps[l + 1].rows(0, rows), params.feedback[l + 1]!.view, into: b)
            default:
                BLAS.gemm(eps[l + 1].rows(0, rows), params.weights[l].view, into: b)
            }
            let d = dfx[l].data, e = eps[l].data, bp = b.data
            for i in 0..<b.count { e[i] = d[i] * bp[i] }
        }
    }

    /// The feedback matrix `M_l` that carries `eps_l` down to layer l − 1 during inference.
    @inline(__always)
    func feedbackMatrix(_ l: Int, _ params: Parameters<S>) -> Matrix<S> {
        switch spec.rule {
        case .pcfa, .pckp: return params.feedback[l]!
        default: return params.weights[l - 1]
        }
    }

    /// Predictive-coding inference from the feedforward state (Whittington & Bogacz 2017):
    /// `x_l ← x_l + γ(−eps_l + f′(x_l) ⊙ (eps_{l+1} M_{l+1}))` for hidden l, all layers from the same
    /// previous state, then `eps` recomputed (`mu_1` is constant and not recomputed).
    ///
    /// For zil (Song et al. 2020) γ = 1 and layer l's update is taken at step t = L − l from that
    /// step's errors, before the step's x update; `ΔW` is accumulated into `grads` here with `scale`.
    /// Returns the per-slice energy after each step when `trajectory` is true (else only the last).
    func infer(_ params: Parameters<S>, input: MatrixView<S>, target: MatrixView<S>, steps: Int, gamma: S,
               precision: S, zilScale: S?, trajectory: Bool) -> [Double] {
        let rows = input.rows, L = spec.depth
        var energies: [Double] = []
        for l in 1..<L { eps[l].rows(0, rows).data.update(repeating: 0, count: rows * spec.widths[l]) }
        let totalSteps = zilScale != nil ? L : steps
        for t in 0..<totalSteps {
            if let scale = zilScale {
                accumulate(layer: L - t, input: input, scale: scale)
                if t == L - 1 { break }
            }
            for l in 1..<L {
                let b = back[l].rows(0, rows)
                BLAS.gemm(eps[l + 1].rows(0, rows), feedbackMatrix(l + 1, params).view, into: b)
                let xs = x[l].data, e = eps[l].data, d = dfx[l].data, bp = b.data
                for i in 0..<b.count { xs[i] += gamma * (d[i] * bp[i] - e[i]) }
                spec.activation.apply(xs, fx[l].data, derivative: dfx[l].data, count: b.count)
            }
            computeErrors(params, input: input, target: target)
            if trajectory || t == totalSteps - 1 { energies.append(energy(rows: rows, precision: precision)) }
        }
        return energies
    }

    /// Recomputes `mu_l` (l ≥ 2) and all errors from the current value nodes.
    func computeErrors(_ params: Parameters<S>, input: MatrixView<S>, target: MatrixView<S>) {
        let L = spec.depth, rows = input.rows
        for l in 1..<L {
            if l >= 2 {
                let m = mu[l].rows(0, rows)
                BLAS.gemm(fx[l - 1].rows(0, rows), params.weights[l - 1].view, transposeB: true, into: m)
                Kernels.addRowVector(m, params.biases[l - 1].data)
            }
            let xs = x[l].data, ms = mu[l].data, e = eps[l].data
            for i in 0..<(rows * spec.widths[l]) { e[i] = xs[i] - ms[i] }
        }
        let out = mu[L].rows(0, rows)
        BLAS.gemm(presynaptic(L, input: input, rows: rows), params.weights[L - 1].view, transposeB: true, into: out)
        Kernels.addRowVector(out, params.biases[L - 1].data)
        lastOutputLoss = outputError(target: target, precision: precision)
    }

    /// Output loss of the last `computeErrors` (unweighted).
    var lastOutputLoss = 0.0
    /// Precision π_L used by `computeErrors` (set by `infer`'s caller).
    var precision: S = 1

    /// Σ over the slice of `F = Σ_{l<L} ½‖eps_l‖² + π_L · output loss`.
    func energy(rows: Int, precision: S) -> Double {
        var f = Double(precision) * lastOutputLoss
        for l in 1..<spec.depth { f += 0.5 * Kernels.sumOfSquares(eps[l].data, count: rows * spec.widths[l]) }
        return f
    }
}
