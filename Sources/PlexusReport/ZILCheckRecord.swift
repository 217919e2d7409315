/// The `zil_check` event: how far Z-IL's updates sit from BP's gradients (they should agree to
/// rounding).
public struct ZILCheckRecord: Sendable, Equatable {
    /// Floating-point precision of the check, e.g. `f64` or `f32`.
    public var precision: String
    public var maxRelativeDifference: Double
    public var depth: Int?

    /// `nil` without a difference.
    init?(json: JSONValue) {
        guard let difference = json["max_rel_diff"]?.double else { return nil }
        maxRelativeDifference = difference
        precision = json["precision"]?.string ?? "?"
        depth = json["depth"]?.int
    }

    /// The tolerance DESIGN.md sets for this precision: 1e-12 in Float64, 1e-5 in Float32.
    public var tolerance: Double? {
        switch precision.lowercased() {
        case "f64", "float64", "double": return 1e-12
        case "f32", "float32", "float": return 1e-5
        default: return nil
        }
    }

    /// Whether the difference is within tolerance; `nil` when the precision is unknown.
    public var passes: Bool? {
        tolerance.map { maxRelativeDifference <= $0 }
    }
}
