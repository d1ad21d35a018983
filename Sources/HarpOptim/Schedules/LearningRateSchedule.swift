/// A learning rate as a function of the step: `optimizer.learningRate = schedule.learningRate(at: step)`
/// before each optimizer step, `step` counting from 0 (torch's `last_epoch` after `step` calls to
/// `scheduler.step()`). Schedules are pure values, so resuming needs only the step count.
public protocol LearningRateSchedule: Sendable {
    func learningRate(at step: Int) -> Double
}

/// The same learning rate at every step.
public struct ConstantSchedule: LearningRateSchedule {
    public var value: Double

    public init(_ value: Double) {
        self.value = value
    }

    public func learningRate(at step: Int) -> Double { value }
}
