import Foundation

/// The timing protocol shared with `tools/bench_engine.py`: one untimed warm-up run, then `n`
/// timed runs, reporting the median. Unless `n` is given, it adapts so a case takes about
/// `targetSeconds`: n = ⌈targetSeconds / (first timed run)⌉, clamped to 3…200.
public struct BenchmarkTimer: Sendable {
    public var repeats: Int?
    public var targetSeconds: Double

    public static let repeatRange = 3...200

    public init(repeats: Int? = nil, targetSeconds: Double = 0.75) {
        self.repeats = repeats
        self.targetSeconds = targetSeconds
    }

    /// The median wall time of `work` and the number of timed runs it is the median of.
    public func median(_ work: () -> Void) -> (seconds: Double, repeats: Int) {
        work()
        let first = Self.seconds(work)
        let count = repeats.map { max(1, $0) } ?? Self.adaptiveCount(firstRunSeconds: first, targetSeconds: targetSeconds)
        let samples = ([first] + (1..<max(1, count)).map { _ in Self.seconds(work) }).sorted()
        return (samples[samples.count / 2], samples.count)
    }

    static func adaptiveCount(firstRunSeconds: Double, targetSeconds: Double) -> Int {
        let wanted = (targetSeconds / max(firstRunSeconds, 1e-9)).rounded(.up)
        return Int(min(max(wanted, Double(repeatRange.lowerBound)), Double(repeatRange.upperBound)))
    }

    static func seconds(_ work: () -> Void) -> Double {
        let elapsed = ContinuousClock().measure(work)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
