import PlexusNumerics

/// The learning rules of DESIGN.md §1; raw values are the CLI's `--rule` names.
public enum Rule: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Backpropagation: the reference (feedback through Wᵀ, a separate backward phase).
    case bp
    /// Inference learning (Whittington & Bogacz 2017): T steps of PC inference, then Hebbian updates.
    case il
    /// Zero-divergence IL (Song et al. 2020): γ = 1, π_L = 1, feedforward init, layer l updated at step L − l.
    case zil
    /// Feedback alignment (Lillicrap et al. 2016): BP-shaped backward pass through a fixed random B.
    case fa
    /// PC inference through a fixed random feedback matrix B (no weight transport).
    case pcfa
    /// PC with learned feedback, Kolen-Pollack style (Akrout et al. 2019; Millidge et al. 2020).
    case pckp
    /// Direct feedback alignment (Nøkland 2016): the output error reaches each layer through fixed B.
    case dfa

    public var description: String { rawValue }

    public static func parse(_ name: String) throws(LearningError) -> Rule {
        guard let r = Rule(rawValue: name.lowercased()) else {
            throw LearningError.invalidArgument(
                "unknown rule '\(name)'; expected one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return r
    }

    /// Whether the rule runs predictive-coding inference (value nodes relaxed for T steps).
    public var usesInference: Bool { self == .il || self == .zil || self == .pcfa || self == .pckp }
    /// Whether the rule keeps a feedback matrix separate from W.
    public var hasFeedback: Bool { self == .fa || self == .pcfa || self == .pckp || self == .dfa }
    /// Whether the feedback path reuses the forward weights (weight transport).
    public var transportsWeights: Bool { self == .bp || self == .il || self == .zil }
}

/// The output energy: squared error with the output clamped to the one-hot target, or cross-entropy
/// with output error `y − softmax(mu_L)`.
public enum Energy: String, CaseIterable, Sendable, CustomStringConvertible {
    case se
    case ce

    public var description: String { rawValue }

    public static func parse(_ name: String) throws(LearningError) -> Energy {
        guard let e = Energy(rawValue: name.lowercased()) else {
            throw LearningError.invalidArgument("unknown energy '\(name)'; expected se or ce")
        }
        return e
    }
}

/// A network and the rule that trains it, with every rule-specific hyperparameter.
public struct ModelSpec: Equatable, Sendable {
    /// Layer widths `n_0 … n_L` (input first).
    public var widths: [Int]
    public var activation: Activation
    public var energy: Energy
    public var rule: Rule
    /// Inference steps T (PC rules).
    public var steps: Int
    /// Inference rate γ (PC rules; Z-IL forces 1).
    public var gamma: Double
    /// Precision π_L of the output error; hidden layers have precision 1. Updates are divided by π_L,
    /// so a small π_L makes IL approach BP without changing the update's scale.
    public var outputPrecision: Double
    /// Kolen-Pollack decay (pckp): after each update W ← (1 − λs)W and B ← (1 − λs)B, where s is the
    /// learning-rate schedule's factor at that step.
    public var kpDecay: Double
    /// Scale of random feedback matrices relative to the Glorot-uniform range of W.
    public var feedbackScale: Double

    public init(widths: [Int] = [784, 256, 256, 10], activation: Activation = .tanh, energy: Energy = .ce,
                rule: Rule = .il, steps: Int = 20, gamma: Double = 0.1, outputPrecision: Double = 0.1,
                kpDecay: Double = 1e-3, feedbackScale: Double = 1) {
        self.widths = widths
        self.activation = activation
        self.energy = energy
        self.rule = rule
        self.steps = steps
        self.gamma = gamma
        self.outputPrecision = outputPrecision
        self.kpDecay = kpDecay
        self.feedbackScale = feedbackScale
    }

    /// Number of weight layers L.
    public var depth: Int { widths.count - 1 }

    /// Checks user-supplied values; throws a one-line error naming the problem.
    public func validate() throws(LearningError) {
        guard widths.count >= 2 else { throw .invalidArgument("--layers needs at least two widths (input and output), got \(widths)") }
        guard widths.allSatisfy({ $0 > 0 }) else { throw .invalidArgument("--layers widths must be positive, got \(widths)") }
        guard steps >= 0 else { throw .invalidArgument("--steps must be ≥ 0, got \(steps)") }
        guard gamma.isFinite, gamma > 0 else { throw .invalidArgument("--gamma must be a positive number, got \(gamma)") }
        guard outputPrecision.isFinite, outputPrecision > 0 else {
            throw .invalidArgument("--output-precision must be positive, got \(outputPrecision)")
        }
        guard kpDecay.isFinite, kpDecay >= 0, kpDecay < 1 else { throw .invalidArgument("--kp-decay must be in [0, 1), got \(kpDecay)") }
        guard feedbackScale.isFinite, feedbackScale > 0 else { throw .invalidArgument("--feedback-scale must be positive, got \(feedbackScale)") }
        if rule == .zil && steps < depth {
            throw .invalidArgument("zil needs --steps ≥ L = \(depth) (one step per layer), got \(steps)")
        }
    }

    /// Names of the parameter tensors, in checkpoint order: `layer{l}.weight`, `layer{l}.bias`,
    /// and `layer{l}.feedback` for rules with a feedback matrix, l = 1…L.
    public var tensorNames: [String] {
        var names: [String] = []
        for l in 1...depth {
            names.append("layer\(l).weight")
            names.append("layer\(l).bias")
        }
        if rule.hasFeedback {
            for l in feedbackLayers { names.append("layer\(l).feedback") }
        }
        return names
    }

    /// Layers that own a feedback matrix: all layers for fa/pcfa/pckp (B_l shaped like W_l),
    /// hidden layers 1…L−1 for dfa (B_l is n_L × n_l, carrying the output error to layer l).
    public var feedbackLayers: [Int] {
        switch rule {
        case .fa, .pcfa, .pckp: return depth >= 2 ? Array(2...depth) : []
        case .dfa: return depth >= 2 ? Array(1...(depth - 1)) : []
        default: return []
        }
    }

    /// Shape (rows, cols) of a tensor named by `tensorNames`.
    public func shape(of name: String) -> [Int]? {
        let parts = name.split(separator: ".")
        guard parts.count == 2, parts[0].hasPrefix("layer"), let l = Int(parts[0].dropFirst(5)), l >= 1, l <= depth else { return nil }
        switch parts[1] {
        case "weight": return [widths[l], widths[l - 1]]
        case "bias": return [widths[l]]
        case "feedback":
            guard feedbackLayers.contains(l) else { return nil }
            return rule == .dfa ? [widths[depth], widths[l]] : [widths[l], widths[l - 1]]
        default: return nil
        }
    }
}

/// Errors from the learning layer that a user can cause (bad flags, incompatible checkpoints).
public enum LearningError: Error, Equatable, CustomStringConvertible {
    case invalidArgument(String)
    case shapeMismatch(String)
    case nonFinite(String)

    public var description: String {
        switch self {
        case .invalidArgument(let t), .shapeMismatch(let t), .nonFinite(let t): return t
        }
    }
}
