/// A linear ramp from `startFactor × base` to `base` over `warmupSteps`, then `base`
/// (torch's `LinearLR(start_factor, end_factor=1, total_iters=warmupSteps)`):
///
///     lr(t) = base · (s + (1 − s) · min(t, T) / T)
public struct LinearWarmupSchedule: LearningRateSchedule {
    public var base: Double
    public var warmupSteps: Int
    public var startFactor: Double

    public init(base: Double, warmupSteps: Int, startFactor: Double = 0) {
        precondition(warmupSteps >= 0 && (0...1).contains(startFactor), "LinearWarmupSchedule: bad arguments")
        self.base = base
        self.warmupSteps = warmupSteps
        self.startFactor = startFactor
    }

    public func learningRate(at step: Int) -> Double {
        guard warmupSteps > 0 else { return base }
        let progress = Double(Swift.min(Swift.max(step, 0), warmupSteps)) / Double(warmupSteps)
        return base * (startFactor + (1 - startFactor) * progress)
    }
}
