import PlexusNumerics
#if canImport(Glibc)
import Glibc
#endif

/// Agreement of one layer's update with the BP gradient on the same batch and weights.
public struct LayerAlignment: Sendable, Equatable {
    public var layer: Int
    /// `cos(Δ_rule, Δ_bp)` over the layer's weights and bias together.
    public var cosine: Double
    /// `‖Δ_rule‖ / ‖Δ_bp‖`.
    public var normRatio: Double
}

/// Diagnostics every rule can report (DESIGN.md §1).
public enum Diagnostics {
    /// Per-layer cosine similarity and norm ratio of `update` against `reference` (the BP gradient).
    public static func alignment<S: BLASScalar>(_ update: Parameters<S>, against reference: Parameters<S>) -> [LayerAlignment] {
        (0..<update.weights.count).map { i in
            var dot = 0.0, nu = 0.0, nr = 0.0
            for (u, r) in [(update.weights[i], reference.weights[i]), (update.biases[i], reference.biases[i])] {
                dot += Kernels.dot(u.data, r.data, count: u.count)
                nu += Kernels.sumOfSquares(u.data, count: u.count)
                nr += Kernels.sumOfSquares(r.data, count: r.count)
            }
            let denom = (nu * nr).squareRoot()
            // A zero update (e.g. a layer inference has not reached yet) has cosine 0 with anything.
            return LayerAlignment(layer: i + 1, cosine: denom > 0 ? dot / denom : 0,
                                  normRatio: nr > 0 ? (nu / nr).squareRoot() : .nan)
        }
    }

    /// Angle in degrees between `B_l` and `W_l` seen as vectors, per layer l = 1…L (nil where the
    /// layer has no feedback matrix shaped like W, e.g. dfa's n_L × n_l matrices).
    public static func feedbackAngles<S: BLASScalar>(_ params: Parameters<S>) -> [Double?] {
        (1...params.spec.depth).map { l in
            guard let b = params.feedback[l], params.spec.rule != .dfa else { return nil }
            let w = params.weights[l - 1]
            let c = Kernels.dot(b.data, w.data, count: w.count)
                / (Kernels.sumOfSquares(b.data, count: b.count) * Kernels.sumOfSquares(w.data, count: w.count)).squareRoot()
            return acos(Swift.max(-1, Swift.min(1, c))) * 180 / Double.pi
        }
    }

    /// Largest relative difference `‖a − b‖₂ / ‖b‖₂` of a tensor, over all weights and biases (each
    /// layer's weight matrix and bias vector taken as one tensor each).
    public static func maxRelativeDifference<S: BLASScalar>(_ a: Parameters<S>, _ b: Parameters<S>) -> Double {
        var worst = 0.0
        for (x, y) in zip(a.namedTensors, b.namedTensors) {
            var diff = 0.0, scale = 0.0
            for i in 0..<x.matrix.count {
                let d = Double(x.matrix.data[i]) - Double(y.matrix.data[i])
                diff += d * d
                scale += Double(y.matrix.data[i]) * Double(y.matrix.data[i])
            }
            worst = Swift.max(worst, (diff / Swift.max(scale, 1e-300)).squareRoot())
        }
        return worst
    }
}

/// What a rule asks of the brain (DESIGN.md §1's locality profile).
public struct LocalityProfile: Sendable, Equatable {
    /// The feedback pathway reuses the forward weights.
    public var weightTransport: Bool
    /// Plasticity is pre-synaptic activity × post-synaptic error at the synapse, nothing else.
    public var localPlasticity: Bool
    /// The feedback signal is multiplied by f′ of the receiving layer.
    public var fPrimeOnFeedback: Bool
    /// The rule needs separate phases or a global schedule (a backward sweep, layer-timed updates).
    public var separatePhases: Bool
    /// Weight values per update a separate feedback pathway would have to receive to stay equal to
    /// Wᵀ: Σ n_l·n_{l−1} over the layers whose W is used for feedback (l = 2…L); 0 for local rules.
    public var transportVolume: Int

    public init(rule: Rule, widths: [Int]) {
        weightTransport = rule.transportsWeights
        localPlasticity = rule.usesInference
        fPrimeOnFeedback = true
        separatePhases = !(rule == .il || rule == .pcfa || rule == .pckp)
        let L = widths.count - 1
        transportVolume = rule.transportsWeights && L >= 2 ? (2...L).reduce(0) { $0 + widths[$1] * widths[$1 - 1] } : 0
    }
}

extension ModelSpec {
    public var locality: LocalityProfile { LocalityProfile(rule: rule, widths: widths) }

    /// Floating-point operations per training sample of the matrix products (2 per multiply-add), with
    /// `mu_1` computed once per batch.
    public var flopsPerSample: Double {
        let L = depth
        let w = widths
        func layer(_ l: Int) -> Double { 2 * Double(w[l] * w[l - 1]) }
        let forward = (1...L).reduce(0.0) { $0 + layer($1) }
        let upper = L >= 2 ? (2...L).reduce(0.0) { $0 + layer($1) } : 0
        switch rule {
        case .bp, .fa: return forward + upper + forward
        case .dfa: return forward + (L >= 2 ? (1..<L).reduce(0.0) { $0 + 2 * Double(w[L] * w[$1]) } : 0) + forward
        case .zil: return forward + Double(L - 1) * 2 * upper + forward
        case .il, .pcfa, .pckp: return forward + Double(steps) * 2 * upper + forward
        }
    }
}
