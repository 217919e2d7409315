/// The nonlinearity `f` applied to hidden value nodes (DESIGN.md §1): `mu_l = f(x_{l-1}) W_lᵀ + b_l`,
/// with `f` the identity on the input layer.
///
/// `gelu` is the tanh form of Hendrycks & Gimpel 2016, `½x(1 + tanh(√(2/π)(x + 0.044715x³)))`, in both
/// precisions, so that the Float32 and Float64 paths compute the same function.
public enum Activation: String, CaseIterable, Sendable, CustomStringConvertible {
    case tanh
    case relu
    case leakyRelu = "leaky-relu"
    case gelu
    case sigmoid
    case linear

    /// Slope of `leaky-relu` for negative inputs.
    public static let leakySlope = 0.01

    public var description: String { rawValue }

    /// Parses a CLI name, giving an error that lists the valid names.
    public static func parse(_ name: String) throws(NumericsError) -> Activation {
        guard let a = Activation(rawValue: name.lowercased()) else {
            throw NumericsError.invalidArgument(
                "unknown activation '\(name)'; expected one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return a
    }
}

/// Errors from the numerics layer: bad user-facing arguments (programmer errors are preconditions).
public enum NumericsError: Error, Equatable, CustomStringConvertible {
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .invalidArgument(let text): return text
        }
    }
}
