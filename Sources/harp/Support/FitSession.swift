import Foundation
import HarpInstrument
import HarpTensor

/// The optimisation loop of `harp fit`: steps the fitter up to the iteration budget, shows
/// progress, checkpoints every few iterations, and ends early on Ctrl-C, on a loss that is no
/// longer finite, or when the control signal has died.
struct FitSession {
    /// Why the loop ended.
    enum Ending {
        case finished
        case interrupted
        case controlSignalDied
    }

    /// Iterations between checks for a dead control signal, and how many checks in a row stop the
    /// fit (by then Adam's momentum, the only thing that could still move the plane, has decayed
    /// to 0.9¹⁰⁰ ≈ 3·10⁻⁵ of itself).
    static let silentCheckInterval = 50
    static let silentChecksToStop = 2

    let fitter: InstrumentFitter
    private(set) var summary: InstrumentFitSummary
    let checkpoint: URL
    let iterations: Int
    let checkpointEvery: Int
    private var silentChecks = 0

    init(fitter: InstrumentFitter, summary: InstrumentFitSummary, checkpoint: URL,
         iterations: Int, checkpointEvery: Int) {
        self.fitter = fitter
        self.summary = summary
        self.checkpoint = checkpoint
        self.iterations = iterations
        self.checkpointEvery = checkpointEvery
    }

    /// Runs the loop and writes a final checkpoint. `afterFirstStep` runs once, after the first
    /// step of this session (when every FFT plan the fit needs exists).
    mutating func run(afterFirstStep: () -> Void) throws -> Ending {
        var progress = ProgressBar(total: iterations, label: "fit")
        let first = fitter.completedIterations
        var ending = Ending.finished
        while fitter.completedIterations < iterations {
            if InterruptFlag.isRaised { ending = .interrupted; break }
            let loss = fitter.step()
            guard loss.isFinite else {
                try? saveCheckpoint()
                throw InstrumentError.invalidConfiguration("the loss became \(loss) at iteration \(fitter.completedIterations); try a lower --learning-rate")
            }
            if fitter.completedIterations == first + 1 { afterFirstStep() }
            progress.update(completed: fitter.completedIterations, figures: ["loss": Double(loss)])
            if fitter.completedIterations % checkpointEvery == 0 { try saveCheckpoint() }
            if controlSignalDied() { ending = .controlSignalDied; break }
        }
        progress.finish()
        try saveCheckpoint()
        return ending
    }

    /// Writes the fitter's state and the summary so far, atomically.
    mutating func saveCheckpoint() throws {
        summary.iterations = fitter.completedIterations
        summary.finalLoss = fitter.lossHistory.last
        summary.compressionRatio = fitter.model.compressionRatio
        try ErrorReporting.blaming(checkpoint.path) { try InstrumentCheckpoint.save(fitter, summary: summary, to: checkpoint) }
    }

    /// Counts consecutive checks that found the control signal all zero: no gradient can reach
    /// the control plane through the ReLU then, so the fit would only repeat a silent output.
    private mutating func controlSignalDied() -> Bool {
        guard fitter.completedIterations % Self.silentCheckInterval == 0 else { return false }
        silentChecks = fitter.model.controlSignalIsSilent ? silentChecks + 1 : 0
        return silentChecks >= Self.silentChecksToStop
    }
}
