import Foundation

/// Cosine annealing from `base` to `minimum` over `totalSteps`, after an optional linear warm-up
/// (torch's `SequentialLR([LinearLR(start_factor, total_iters=W), CosineAnnealingLR(T_max=N−W,
/// eta_min)], milestones=[W])`; without warm-up, `CosineAnnealingLR(T_max=N, eta_min)`):
///
///     lr(t) = base · (s + (1 − s) · t / W)                          for t < W
///     lr(t) = min + (base − min) · (1 + cos(π · (t − W) / (N − W))) / 2   otherwise
///
/// Past `totalSteps` the cosine continues (rises again), as torch's does.
public struct CosineAnnealingSchedule: LearningRateSchedule {
    public var base: Double
    public var minimum: Double
    public var totalSteps: Int
    public var warmup: LinearWarmupSchedule

    /// - Parameters:
    ///   - base: the peak learning rate.
    ///   - minimum: the learning rate at `totalSteps` (torch's `eta_min`).
    ///   - totalSteps: warm-up plus annealing steps.
    ///   - warmupSteps: steps of linear warm-up before annealing starts.
    ///   - warmupStartFactor: the first warm-up step's fraction of `base`.
    public init(base: Double, minimum: Double = 0, totalSteps: Int, warmupSteps: Int = 0, warmupStartFactor: Double = 0) {
        precondition(totalSteps > warmupSteps && warmupSteps >= 0, "CosineAnnealingSchedule: needs totalSteps > warmupSteps ≥ 0")
        self.base = base
        self.minimum = minimum
        self.totalSteps = totalSteps
        warmup = LinearWarmupSchedule(base: base, warmupSteps: warmupSteps, startFactor: warmupStartFactor)
    }

    public func learningRate(at step: Int) -> Double {
        if step < warmup.warmupSteps { return warmup.learningRate(at: step) }
        let elapsed = Double(step - warmup.warmupSteps)
        let span = Double(totalSteps - warmup.warmupSteps)
        return minimum + (base - minimum) * (1 + cos(Double.pi * elapsed / span)) / 2
    }
}
