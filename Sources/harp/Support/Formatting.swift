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

    /// A finite number for JSON, or nil (JSON `null`) for ±∞ and NaN.
    static func jsonNumber(_ value: Double) -> Double? {
        value.isFinite ? value : nil
    }
}
