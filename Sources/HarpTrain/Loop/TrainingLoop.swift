/// The loop every training run shares: steps until the last one, an interruption or a
/// non-finite loss, telling its callbacks after each step and when it stops.
///
/// ```swift
/// let loop = TrainingLoop(totalSteps: 10_000, callbacks: [progress, checkpoints, report],
///                         isInterrupted: { interrupt.isSet })
/// let reason = try loop.run(from: state.step) { step in try trainer.step(step) }
/// ```
/// A non-finite loss stops the run with `TrainingError.nonFiniteLoss` before any callback sees that
/// step, so the last checkpoint written is the last good one.
public final class TrainingLoop {
    public let totalSteps: Int
    public let callbacks: [any TrainingCallback]
    private let isInterrupted: () -> Bool

    public init(totalSteps: Int, callbacks: [any TrainingCallback], isInterrupted: @escaping () -> Bool = { false }) {
        precondition(totalSteps >= 0)
        self.totalSteps = totalSteps
        self.callbacks = callbacks
        self.isInterrupted = isInterrupted
    }

    /// Runs steps `start ..< totalSteps`; `body(step)` performs one and returns its losses.
    /// - Returns: why the loop stopped (the callbacks were told too).
    @discardableResult
    public func run(from start: Int, step body: (Int) throws -> StepResult) throws -> TrainingStopReason {
        for callback in callbacks { try callback.trainingWillStart(at: start, totalSteps: totalSteps) }
        var step = start
        while step < totalSteps {
            if isInterrupted() { return try stop(after: step, .interrupted) }
            let result = try body(step)
            if let (term, value) = result.losses.first(where: { !$0.value.isFinite }) {
                throw TrainingError.nonFiniteLoss(step: step + 1, term: term, value: value)
            }
            step += 1
            for callback in callbacks { try callback.trainingDidFinish(step: step, result: result) }
        }
        return try stop(after: step, .finished)
    }

    private func stop(after steps: Int, _ reason: TrainingStopReason) throws -> TrainingStopReason {
        for callback in callbacks { try callback.trainingWillStop(after: steps, reason: reason) }
        return reason
    }
}

/// What one step reports: its named loss terms (and any other scalar worth a curve).
public struct StepResult: Sendable, Equatable {
    public var losses: [String: Float]
    public init(losses: [String: Float]) { self.losses = losses }
}

/// Why a loop stopped.
public enum TrainingStopReason: Sendable, Equatable {
    case finished
    case interrupted
}

/// Hooks into the loop: progress bars, periodic checkpoints, evaluations and reports.
/// `step` counts completed steps (1 after the first).
public protocol TrainingCallback: AnyObject {
    func trainingWillStart(at step: Int, totalSteps: Int) throws
    func trainingDidFinish(step: Int, result: StepResult) throws
    func trainingWillStop(after steps: Int, reason: TrainingStopReason) throws
}

extension TrainingCallback {
    public func trainingWillStart(at step: Int, totalSteps: Int) throws {}
    public func trainingDidFinish(step: Int, result: StepResult) throws {}
    public func trainingWillStop(after steps: Int, reason: TrainingStopReason) throws {}
}

/// Runs an action every `interval` completed steps, and (optionally) when the loop stops.
public final class PeriodicCallback: TrainingCallback {
    public let interval: Int
    public let runsAtStop: Bool
    private let action: (Int) throws -> Void
    private var lastRun: Int?

    public init(every interval: Int, alsoAtStop: Bool = true, _ action: @escaping (Int) throws -> Void) {
        precondition(interval > 0)
        self.interval = interval
        runsAtStop = alsoAtStop
        self.action = action
    }

    public func trainingDidFinish(step: Int, result: StepResult) throws {
        if step % interval == 0 { try run(step) }
    }

    public func trainingWillStop(after steps: Int, reason: TrainingStopReason) throws {
        if runsAtStop, lastRun != steps { try run(steps) }
    }

    private func run(_ step: Int) throws {
        try action(step)
        lastRun = step
    }
}
