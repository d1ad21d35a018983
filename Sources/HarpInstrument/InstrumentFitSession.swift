import Foundation
import HarpTensor
import HarpTrain

/// The fitting loop of `harp fit`, on the training stack's `TrainingLoop`: steps the fitter up
/// to the iteration budget, checkpoints every few iterations and when it stops, and ends early on
/// an interruption, on a loss that is no longer finite (keeping the last good checkpoint), or
/// when the control signal has died.
public final class InstrumentFitSession {
    /// Why the loop ended.
    public enum Ending {
        case finished
        case interrupted
        case controlSignalDied
    }

    /// Iterations between checks for a dead control signal, and how many checks in a row stop the
    /// fit (by then Adam's momentum, the only thing that could still move the plane, has decayed
    /// to 0.9¹⁰⁰ ≈ 3·10⁻⁵ of itself).
    static let silentCheckInterval = 50
    static let silentChecksToStop = 2

    public let fitter: InstrumentFitter
    public private(set) var summary: InstrumentFitSummary
    public let checkpoint: URL
    public let iterations: Int
    public let checkpointEvery: Int
    private var silentChecks = 0

    public init(fitter: InstrumentFitter, summary: InstrumentFitSummary, checkpoint: URL,
                iterations: Int, checkpointEvery: Int) {
        self.fitter = fitter
        self.summary = summary
        self.checkpoint = checkpoint
        self.iterations = iterations
        self.checkpointEvery = checkpointEvery
    }

    /// Runs the loop. `afterFirstStep` runs once, after the first step of this session (when
    /// every FFT plan the fit needs exists); `progress` after every step with its loss.
    public func run(isInterrupted: @escaping () -> Bool, afterFirstStep: () -> Void,
                    progress: (Int, Float) -> Void) throws -> Ending {
        let first = fitter.completedIterations
        let checkpoints = PeriodicCallback(every: checkpointEvery) { [unowned self] _ in try saveCheckpoint() }
        let watcher = PeriodicCallback(every: Self.silentCheckInterval, alsoAtStop: false) { [unowned self] _ in
            silentChecks = fitter.model.controlSignalIsSilent ? silentChecks + 1 : 0
        }
        let loop = TrainingLoop(totalSteps: iterations, callbacks: [watcher, checkpoints],
                                isInterrupted: { [unowned self] in isInterrupted() || controlSignalDied })
        let reason: TrainingStopReason
        do {
            reason = try loop.run(from: first) { _ in
                let loss = fitter.step()
                if fitter.completedIterations == first + 1 { afterFirstStep() }
                progress(fitter.completedIterations, loss)
                return StepResult(losses: ["loss": loss])
            }
        } catch let TrainingError.nonFiniteLoss(step, _, value) {
            throw InstrumentError.invalidConfiguration(
                "the loss became \(value) at iteration \(step); try a lower --learning-rate (the last checkpoint is the last good state)")
        }
        if controlSignalDied { return .controlSignalDied }
        return reason == .interrupted ? .interrupted : .finished
    }

    /// Consecutive checks found the control signal all zero: no gradient can reach the control
    /// plane through the ReLU then, so the fit would only repeat a silent output.
    private var controlSignalDied: Bool { silentChecks >= Self.silentChecksToStop }

    /// Writes the fitter's state and the summary so far, atomically.
    public func saveCheckpoint() throws {
        summary.iterations = fitter.completedIterations
        summary.finalLoss = fitter.lossHistory.last
        summary.compressionRatio = fitter.model.compressionRatio
        try InstrumentCheckpoint.save(fitter, summary: summary, to: checkpoint)
    }
}
