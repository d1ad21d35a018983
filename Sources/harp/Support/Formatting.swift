import Foundation

/// Number formatting shared by the commands' human-readable output.
enum Formatting {
    /// A level in dB with two decimals, or `-inf` for silence.
    static func decibels(_ value: Double) -> String {
        value.isFinite ? String(format: "%.2f", value) : (value < 0 ? "-inf" : "inf")
    }

    /// Seconds with three decimals.
    static func seconds(_ value: Double) -> String {
        String(format: "%.3f", value)
    }

    /// A bandwidth in kbit/s with as few decimals as it needs: `1.5`, `6`, `2.2`.
    static func kbps(_ value: Double) -> String {
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A byte count in B, kB or MB (powers of 1000).
    static func bytes(_ count: Int) -> String {
        switch count {
        case ..<1000: return "\(count) B"
        case ..<1_000_000: return String(format: "%.1f kB", Double(count) / 1e3)
        default: return String(format: "%.2f MB", Double(count) / 1e6)
        }
    }

    /// A finite number for JSON, or nil (JSON `null`) for ±∞ and NaN.
    static func jsonNumber(_ value: Double) -> Double? {
        value.isFinite ? value : nil
    }
}
