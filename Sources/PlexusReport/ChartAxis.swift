import Foundation

/// One axis of an ``SVGChart``: its label, its scale, and how its range and ticks are chosen.
public struct ChartAxis: Sendable {
    /// Linear or base-10 logarithmic mapping.
    public enum Scale: Sendable { case linear, log }

    /// The label, with units, e.g. `test accuracy (%)`.
    public var label: String
    public var scale: Scale
    /// A fixed range; when `nil` the range is the data's, widened to nice tick values.
    public var domain: ClosedRange<Double>?
    /// Widen an automatic linear range to include zero.
    public var includeZero: Bool
    /// Use whole-number ticks only (counts such as epochs or workers).
    public var integerTicks: Bool

    public init(_ label: String, scale: Scale = .linear, domain: ClosedRange<Double>? = nil,
                includeZero: Bool = false, integerTicks: Bool = false) {
        self.label = label
        self.scale = scale
        self.domain = domain
        self.includeZero = includeZero
        self.integerTicks = integerTicks
    }

    /// An axis fitted to data: its range, ticks and tick labels, and the map into [0, 1].
    public struct Resolved: Sendable {
        public var lower: Double
        public var upper: Double
        public var ticks: [Double]
        public var labels: [String]
        public var scale: Scale

        /// Position of `value` along the axis, 0 at `lower` and 1 at `upper` (clamped).
        public func fraction(_ value: Double) -> Double {
            let position: Double
            switch scale {
            case .linear:
                position = (value - lower) / (upper - lower)
            case .log:
                position = (log10(max(value, .leastNormalMagnitude)) - log10(lower)) / (log10(upper) - log10(lower))
            }
            return min(1, max(0, position))
        }
    }

    /// Whether `value` can be shown on this axis (finite, and positive on a log axis).
    public func accepts(_ value: Double) -> Bool {
        value.isFinite && (scale == .linear || value > 0)
    }

    /// Fits the axis to `values` (values it cannot show are left out) aiming at about `count` ticks.
    public func resolve(_ values: [Double], count: Int = 5) -> Resolved {
        let usable = values.filter(accepts)
        switch scale {
        case .linear: return resolveLinear(usable, count: count)
        case .log: return resolveLog(usable)
        }
    }

    /// A "nice" spacing (1, 2, 2.5 or 5 times a power of ten) near `range / count`.
    public static func niceStep(range: Double, count: Int, integer: Bool = false) -> Double {
        guard range > 0, range.isFinite else { return 1 }
        let raw = range / Double(max(1, count))
        let magnitude = pow(10, floor(log10(raw)))
        let fraction = raw / magnitude
        let factor: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
        var step = factor * magnitude
        if integer {
            step = max(1, step)
            if step.truncatingRemainder(dividingBy: 1) != 0 { step = step.rounded(.down) }
        }
        return step
    }

    private func resolveLinear(_ values: [Double], count: Int) -> Resolved {
        var low: Double
        var high: Double
        if let domain {
            (low, high) = (domain.lowerBound, domain.upperBound)
        } else {
            low = values.min() ?? 0
            high = values.max() ?? 1
            if includeZero { low = min(low, 0); high = max(high, 0) }
        }
        if high <= low {
            let pad = integerTicks ? 1 : (low == 0 ? 1 : abs(low) * 0.1)
            low -= pad
            high += pad
        }
        let step = Self.niceStep(range: high - low, count: count, integer: integerTicks)
        if domain == nil {
            low = (low / step).rounded(.down) * step
            high = (high / step).rounded(.up) * step
        }
        let first = (low / step - 1e-9).rounded(.up)
        let last = (high / step + 1e-9).rounded(.down)
        var ticks: [Double] = []
        if first <= last {
            for index in Int(first)...Int(last) { ticks.append(Double(index) * step) }
        }
        ticks = ticks.map { abs($0) < step * 1e-9 ? 0 : $0 }
        return Resolved(lower: low, upper: high, ticks: ticks,
                        labels: NumberFormat.tickLabels(ticks, step: step), scale: .linear)
    }

    private func resolveLog(_ values: [Double]) -> Resolved {
        var lowExponent: Double
        var highExponent: Double
        if let domain, domain.lowerBound > 0 {
            lowExponent = log10(domain.lowerBound)
            highExponent = log10(domain.upperBound)
        } else {
            lowExponent = floor(log10(values.min() ?? 1) + 1e-9)
            highExponent = ceil(log10(values.max() ?? 10) - 1e-9)
        }
        if highExponent <= lowExponent { highExponent = lowExponent + 1 }
        let decades = highExponent - lowExponent
        let multiples: [Double] = decades <= 2.5 ? [1, 2, 5] : [1]
        let stride = max(1, Int((decades / 8).rounded(.up)))
        var ticks: [Double] = []
        for exponent in Int(floor(lowExponent))...Int(ceil(highExponent)) {
            if (exponent - Int(floor(lowExponent))) % stride != 0 { continue }
            for multiple in multiples {
                let value = multiple * pow(10, Double(exponent))
                let position = log10(value)
                if position >= lowExponent - 1e-9 && position <= highExponent + 1e-9 { ticks.append(value) }
            }
        }
        return Resolved(lower: pow(10, lowExponent), upper: pow(10, highExponent), ticks: ticks,
                        labels: NumberFormat.logTickLabels(ticks), scale: .log)
    }
}
