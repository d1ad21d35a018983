import Foundation
import HarpNN
import HarpOptim
import HarpTensor

/// Fits an instrument to a target clip: Adam on the seed's loss, one fresh attack-noise draw per
/// step, the loss of every step kept for the report.
///
/// ref: seed 001 `produce_overfit_model` (zero_grad, forward, loss, backward, step).
public final class InstrumentFitter {
    public let model: InstrumentModel
    public let objective: InstrumentLoss
    public let optimizer: Adam
    /// The loss of each completed step, in order.
    public private(set) var lossHistory: [Float] = []
    /// The spectral term of this session's first step, when this session made it (not after a
    /// resume): compared with `objective.silentDistance`, it says whether silence was closer to
    /// the target than the instrument's first sound.
    public private(set) var firstSpectralDistance: Float?
    /// Completed steps (including those before a resume).
    public var completedIterations: Int { lossHistory.count }

    /// - Parameter target: `[samples]`, already normalised like the seed (`max_norm`).
    public init(model: InstrumentModel, target: Tensor) {
        let c = model.configuration
        precondition(target.shape == [c.sampleCount], "target must be [\(c.sampleCount)], got \(target.shape)")
        self.model = model
        objective = InstrumentLoss(target: target, windowSize: c.lossWindowSize, hopSize: c.lossHopSize,
                                   sparsityCoefficient: c.sparsityCoefficient)
        optimizer = Adam(parameters: model.parameters(), learningRate: Double(c.learningRate))
    }

    /// One optimisation step; returns its loss (computed before the update, as the seed prints it).
    @discardableResult
    public func step() -> Float {
        optimizer.zeroGradients()
        let control = model.controlSignal
        let reconstruction = model.render(control: control)
        let (loss, spectral) = objective.terms(reconstruction: reconstruction, control: control)
        if lossHistory.isEmpty { firstSpectralDistance = spectral.item }
        loss.backward()
        optimizer.step()
        let value = loss.item
        lossHistory.append(value)
        return value
    }

    /// Restores a loss history when resuming from a checkpoint.
    public func restore(lossHistory history: [Float]) {
        lossHistory = history
    }
}
