/// The optimizer that turns descent directions into parameter steps (it runs where the weights live:
/// in the trainer, or on the coordinator).
public struct OptimizerSpec: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case sgd, adam, adamw
    }

    /// How the learning rate changes over training.
    public enum Schedule: String, CaseIterable, Sendable {
        /// `lr` throughout.
        case constant
        /// `lr · ½(1 + cos(π p))` at progress `p ∈ [0, 1]` of training (Loshchilov & Hutter 2017, no restarts).
        case cosine

        /// The multiplier of `lr` at progress `p` (fraction of all training samples consumed).
        public func scale(progress p: Double) -> Double {
            switch self {
            case .constant: return 1
            case .cosine: return 0.5 * (1 + cos(Double.pi * Swift.min(Swift.max(p, 0), 1)))
            }
        }
    }

    public var kind: Kind
    public var lr: Double
    public var momentum: Double
    public var beta1: Double
    public var beta2: Double
    public var eps: Double
    /// Decoupled weight decay (adamw), or L2 decay added to the direction (sgd, adam).
    public var weightDecay: Double
    public var schedule: Schedule

    public init(kind: Kind = .adam, lr: Double = 1e-3, momentum: Double = 0.9, beta1: Double = 0.9,
                beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: Double = 0, schedule: Schedule = .cosine) {
        self.schedule = schedule
        self.kind = kind
        self.lr = lr
        self.momentum = momentum
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
    }

    public static func parseKind(_ name: String) throws(LearningError) -> Kind {
        guard let k = Kind(rawValue: name.lowercased()) else {
            throw LearningError.invalidArgument("unknown optimizer '\(name)'; expected sgd, adam or adamw")
        }
        return k
    }

    public func validate() throws(LearningError) {
        guard lr.isFinite, lr > 0 else { throw .invalidArgument("--lr must be a positive number, got \(lr)") }
        guard momentum >= 0, momentum < 1 else { throw .invalidArgument("--momentum must be in [0, 1), got \(momentum)") }
        guard beta1 >= 0, beta1 < 1, beta2 >= 0, beta2 < 1 else { throw .invalidArgument("--beta1/--beta2 must be in [0, 1)") }
        guard eps > 0 else { throw .invalidArgument("--eps must be positive, got \(eps)") }
        guard weightDecay >= 0 else { throw .invalidArgument("--weight-decay must be ≥ 0, got \(weightDecay)") }
    }
}

#if canImport(Glibc)
import Glibc
#endif
