import Foundation

/// How values are spaced along an axis.
public enum AxisScale: Sendable {
    case linear
    /// Equal ratios take equal lengths (log₁₀); the range must be positive.
    case logarithmic
}

/// One axis of a plot: its name, the span of values it shows and their spacing. It places values
/// (`fraction`) and chooses round tick values (`ticks`): steps of 1, 2 or 5 × 10ᵏ on a linear
/// axis; powers of ten on a logarithmic one, with 2× and 5× between them when it spans less than
/// three, and the linear axis's round steps when it spans less than one.
public struct PlotAxis: Sendable {
    public var label: String
    public var range: ClosedRange<Double>
    public var scale: AxisScale

    /// An empty or (on a log axis) non-positive range is widened so every value can be placed.
    public init(label: String, range: ClosedRange<Double>, scale: AxisScale = .linear) {
        self.label = label
        self.scale = scale
        var low = range.lowerBound, high = range.upperBound
        if scale == .logarithmic {
            high = Swift.max(high, 1e-30)
            low = Swift.min(Swift.max(low, high * 1e-12), high)
            if low == high { (low, high) = (low / 2, high * 2) }
        } else if low == high {
            (low, high) = (low - 0.5, high + 0.5)
        }
        self.range = low...high
    }

    /// The axis over the finite values of `values` (positive ones on a log axis), with a margin
    /// of `padding` of the span at each end (in log₁₀ units on a log axis).
    public static func fitting(_ values: [Double], label: String, scale: AxisScale = .linear, padding: Double = 0.04) -> PlotAxis {
        let usable = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        guard let low = usable.min(), let high = usable.max() else { return PlotAxis(label: label, range: 0...1, scale: scale) }
        switch scale {
        case .linear:
            let margin = (high - low) * padding
            return PlotAxis(label: label, range: (low - margin)...(high + margin))
        case .logarithmic:
            let margin = Swift.max(log10(high / low) * padding, 0.02)
            return PlotAxis(label: label, range: (low / pow(10, margin))...(high * pow(10, margin)), scale: .logarithmic)
        }
    }

    /// Where `value` lies between the range's ends: 0 at the lower, 1 at the upper.
    public func fraction(_ value: Double) -> Double {
        switch scale {
        case .linear:
            return (value - range.lowerBound) / (range.upperBound - range.lowerBound)
        case .logarithmic:
            let low = log10(range.lowerBound), high = log10(range.upperBound)
            return (log10(Swift.max(value, 1e-300)) - low) / (high - low)
        }
    }

    /// Round values inside the range to mark, at most about `maximumCount` of them, with labels.
    public func ticks(maximumCount: Int = 6) -> [(value: Double, label: String)] {
        switch scale {
        case .linear: return linearTicks(maximumCount: Swift.max(2, maximumCount))
        case .logarithmic: return logarithmicTicks(maximumCount: Swift.max(2, maximumCount))
        }
    }

    private func linearTicks(maximumCount: Int) -> [(value: Double, label: String)] {
        let rough = (range.upperBound - range.lowerBound) / Double(maximumCount)
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough * (1 - 1e-9) } ?? 10 * magnitude
        let decimals = Swift.max(0, -Int(floor(log10(step) + 1e-9)))
        let first = Int((range.lowerBound / step - 1e-9).rounded(.up))
        let last = Int((range.upperBound / step + 1e-9).rounded(.down))
        guard first <= last else { return [] }
        return (first...last).map { i in
            let value = Double(i) * step
            return (value, Self.label(value == 0 ? 0 : value, decimals: decimals))
        }
    }

    private func logarithmicTicks(maximumCount: Int) -> [(value: Double, label: String)] {
        let firstDecade = Int(log10(range.lowerBound).rounded(.up) - 1)
        let lastDecade = Int(log10(range.upperBound).rounded(.down) + 1)
        let low = range.lowerBound * (1 - 1e-9), high = range.upperBound * (1 + 1e-9)
        func values(multiples: [Double]) -> [Double] {
            var found: [Double] = []
            for decade in firstDecade...lastDecade {
                let power: Double = pow(10, Double(decade))
                for multiple in multiples where multiple * power >= low && multiple * power <= high { found.append(multiple * power) }
            }
            return found
        }
        // Within one decade, round linear steps (placed on the log scale) mark the values best.
        guard range.upperBound / range.lowerBound >= 10 else { return linearTicks(maximumCount: maximumCount) }
        var chosen = values(multiples: [1])
        if chosen.count < 3 { chosen = values(multiples: [1, 2, 5]) }
        if chosen.count > maximumCount {
            let stride = Int((Double(chosen.count) / Double(maximumCount)).rounded(.up))
            chosen = chosen.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
        }
        return chosen.map { ($0, Self.label($0)) }
    }

    /// A short label: plain digits from 0.001 to below 10⁶ (as few decimals as the value needs),
    /// `1e6`-style beyond.
    static func label(_ value: Double, decimals: Int? = nil) -> String {
        let magnitude = Swift.abs(value)
        if magnitude != 0 && (magnitude >= 1e6 || magnitude < 1e-3) {
            let exponent = Int(floor(log10(magnitude) + 1e-9))
            let mantissa = value / pow(10, Double(exponent))
            let digits = Swift.abs(mantissa - mantissa.rounded()) < 1e-6 ? String(Int(mantissa.rounded())) : String(format: "%.1f", mantissa)
            return "\(digits)e\(exponent)"
        }
        let places = decimals ?? (0...6).first { (places: Int) -> Bool in
            let scaled: Double = value * pow(10, Double(places))
            return Swift.abs(scaled - scaled.rounded()) < 1e-6
        } ?? 6
        return String(format: "%.\(places)f", value)
    }
}
