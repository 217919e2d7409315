import Foundation

/// Number formatting shared by the table, the CSVs and the charts.
enum NumberFormat {
    /// Fixed decimals, or an empty string for `nil` or non-finite values.
    static func fixed(_ value: Double?, _ decimals: Int) -> String {
        guard let value, value.isFinite else { return "" }
        return String(format: "%.\(decimals)f", value)
    }

    /// A signed difference with fixed decimals, e.g. `+0.25` or `-1.50`.
    static func signed(_ value: Double?, _ decimals: Int) -> String {
        guard let value, value.isFinite else { return "" }
        if abs(value) < 0.5 * pow(10, -Double(decimals)) { return String(format: "%.\(decimals)f", 0.0) }
        return String(format: "%+.\(decimals)f", value)
    }

    /// A plain machine-readable value for CSV cells: integers without a decimal point, other
    /// values with enough digits to round-trip.
    static func csv(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        if value.rounded() == value && abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// A short human-readable number: `1`, `10`, `0.5`, `1e-05` (C's `%g`).
    static func compact(_ value: Double) -> String {
        String(format: "%g", value)
    }

    /// Integer with thousands separators, e.g. `268,800`.
    static func grouped(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        let digits = String(Int(value.rounded()).magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// Bytes in decimal units, e.g. `1.23 MB`.
    static func bytes(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        let units = ["B", "kB", "MB", "GB", "TB"]
        var scaled = value
        var unit = 0
        while abs(scaled) >= 1000 && unit < units.count - 1 {
            scaled /= 1000
            unit += 1
        }
        return unit == 0 ? "\(Int(scaled)) B" : String(format: "%.2f %@", scaled, units[unit])
    }

    /// A value with about three significant digits, e.g. `66.7`, `0.00123`, `1.5e-15`.
    static func significant(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude < 1e-3 || magnitude >= 1e7 { return String(format: "%.2e", value) }
        let decimals = max(0, 2 - Int(floor(log10(magnitude))))
        return String(format: "%.\(decimals)f", value)
    }

    /// Labels for evenly spaced ticks `step` apart. All labels share one SI suffix (k, M, G) when
    /// the largest reaches 10,000, and exponent notation when the values are tiny or huge.
    static func tickLabels(_ ticks: [Double], step: Double) -> [String] {
        let largest = ticks.map(abs).max() ?? 0
        if largest >= 1e12 || (largest > 0 && largest < 1e-3) {
            return ticks.map { $0 == 0 ? "0" : exponent($0) }
        }
        let suffixes: [(Double, String)] = [(1e9, "G"), (1e6, "M"), (1e3, "k")]
        let (scale, suffix) = largest >= 10_000 ? (suffixes.first { largest >= $0.0 } ?? (1, "")) : (1, "")
        return ticks.map { $0 == 0 ? "0" : trimmed($0 / scale, step: step / scale) + suffix }
    }

    /// Labels for logarithmic ticks: plain numbers between 0.001 and 10,000, exponents outside.
    static func logTickLabels(_ ticks: [Double]) -> [String] {
        ticks.map { value in
            let magnitude = abs(value)
            if magnitude >= 1e-3 && magnitude < 1e4 {
                return trimmed(value, step: pow(10, floor(log10(magnitude) + 1e-9)))
            }
            return exponent(value)
        }
    }

    /// `1e-15`, `2.5e+06`-style labels tidied to `2.5e6`.
    static func exponent(_ value: Double) -> String {
        let exponent = Int(floor(log10(abs(value))))
        let mantissa = value / pow(10, Double(exponent))
        let rounded = (mantissa * 10).rounded() / 10
        let mantissaText = rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
        return mantissaText == "1" ? "1e\(exponent)" : mantissaText == "-1" ? "-1e\(exponent)" : "\(mantissaText)e\(exponent)"
    }

    /// `value` with as many decimals as `step` needs to be exact (0.25 → 2, 2.5 → 1, 5 → 0), so
    /// that ticks 0.75 and 0.25 apart are not printed as "0.8" and "0.2".
    private static func trimmed(_ value: Double, step: Double) -> String {
        guard step > 0, step.isFinite else { return String(format: "%.2f", value) }
        var decimals = 0
        while decimals < 6 {
            let scaled = step * pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { break }
            decimals += 1
        }
        return String(format: "%.\(decimals)f", value)
    }
}
