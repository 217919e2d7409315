import PlexusNumerics

/// The trainable state of a network: `W_l` (n_l × n_{l−1}), `b_l` (1 × n_l) for l = 1…L, and the
/// feedback matrices of rules that have one (see `ModelSpec.feedbackLayers`). The same type carries
/// an *update* (a descent direction), where feedback entries are absent.
public final class Parameters<Scalar: BLASScalar>: @unchecked Sendable {
    public let spec: ModelSpec
    /// `weights[l − 1]` is `W_l`.
    public let weights: [Matrix<Scalar>]
    /// `biases[l − 1]` is `b_l`, a 1 × n_l matrix.
    public let biases: [Matrix<Scalar>]
    /// `feedback[l]` is `B_l` for the layers in `spec.feedbackLayers`.
    public let feedback: [Int: Matrix<Scalar>]

    /// Zero parameters for `spec`; feedback matrices only when `includeFeedback`.
    public init(zerosFor spec: ModelSpec, includeFeedback: Bool = true) {
        self.spec = spec
        let w = spec.widths
        weights = (1...spec.depth).map { Matrix(rows: w[$0], cols: w[$0 - 1]) }
        biases = (1...spec.depth).map { Matrix(rows: 1, cols: w[$0]) }
        var fb: [Int: Matrix<Scalar>] = [:]
        if includeFeedback {
            for l in spec.feedbackLayers {
                let shape = spec.shape(of: "layer\(l).feedback")!
                fb[l] = Matrix(rows: shape[0], cols: shape[1])
            }
        }
        feedback = fb
    }

    /// Glorot-uniform weights `U(−a, a)`, `a = √(6 / (fan_in + fan_out))` (Glorot & Bengio 2010), zero
    /// biases, and feedback matrices drawn the same way (times `spec.feedbackScale`) from an independent
    /// stream. Values are drawn in Float64 so both precisions start from the same network.
    public static func initialized(spec: ModelSpec, seed: UInt64) -> Parameters<Scalar> {
        let p = Parameters(zerosFor: spec)
        var rng = SeededRandom(seed: seed, stream: 1)
        for (i, m) in p.weights.enumerated() {
            let a = (6.0 / Double(spec.widths[i] + spec.widths[i + 1])).squareRoot()
            for k in 0..<m.count { m.data[k] = Scalar(rng.uniform(-a, a)) }
        }
        var fbRng = SeededRandom(seed: seed, stream: 2)
        for l in spec.feedbackLayers {
            let m = p.feedback[l]!
            let a = spec.feedbackScale * (6.0 / Double(m.rows + m.cols)).squareRoot()
            for k in 0..<m.count { m.data[k] = Scalar(fbRng.uniform(-a, a)) }
        }
        return p
    }

    /// Every tensor with its checkpoint name, in `spec.tensorNames` order (feedback only if present).
    public var namedTensors: [(name: String, matrix: Matrix<Scalar>)] {
        var out: [(String, Matrix<Scalar>)] = []
        for l in 1...spec.depth {
            out.append(("layer\(l).weight", weights[l - 1]))
            out.append(("layer\(l).bias", biases[l - 1]))
        }
        for l in spec.feedbackLayers {
            if let m = feedback[l] { out.append(("layer\(l).feedback", m)) }
        }
        return out
    }

    public func tensor(named name: String) -> Matrix<Scalar>? {
        namedTensors.first { $0.name == name }?.matrix
    }

    /// Total number of scalars in all tensors.
    public var scalarCount: Int { namedTensors.reduce(0) { $0 + $1.matrix.count } }

    public func copy() -> Parameters<Scalar> {
        let p = Parameters(zerosFor: spec, includeFeedback: !feedback.isEmpty)
        p.assign(self)
        return p
    }

    /// Copies every tensor that both sides have.
    public func assign(_ other: Parameters<Scalar>) {
        for l in 0..<weights.count {
            weights[l].assign(other.weights[l])
            biases[l].assign(other.biases[l])
        }
        for (l, m) in feedback { if let o = other.feedback[l] { m.assign(o) } }
    }

    public func zero() {
        for m in weights { m.fill(0) }
        for m in biases { m.fill(0) }
        for m in feedback.values { m.fill(0) }
    }

    /// `self += alpha · other` on weights and biases.
    public func add(_ other: Parameters<Scalar>, scale alpha: Scalar = 1) {
        for l in 0..<weights.count {
            Kernels.axpy(alpha, other.weights[l].data, weights[l].data, count: weights[l].count)
            Kernels.axpy(alpha, other.biases[l].data, biases[l].data, count: biases[l].count)
        }
    }

    /// The same parameters in another precision.
    public func converted<Other: BLASScalar>(to _: Other.Type = Other.self) -> Parameters<Other> {
        let p = Parameters<Other>(zerosFor: spec, includeFeedback: !feedback.isEmpty)
        for l in 0..<weights.count {
            p.weights[l].assign(weights[l].converted(to: Other.self))
            p.biases[l].assign(biases[l].converted(to: Other.self))
        }
        for (l, m) in feedback { p.feedback[l]?.assign(m.converted(to: Other.self)) }
        return p
    }

    /// The first tensor holding a NaN or infinity, as "layer2.weight[17]", or nil.
    public func firstNonFinite() -> String? {
        for (name, m) in namedTensors {
            if let i = Kernels.firstNonFinite(m.data, count: m.count) { return "\(name)[\(i)]" }
        }
        return nil
    }
}
