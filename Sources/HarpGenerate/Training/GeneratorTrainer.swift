import Foundation
import HarpNN
import HarpOptim
import HarpTensor
import HarpTrain

/// One generator training step after another: teacher-forced cross-entropy over the four
/// codebooks (`TeacherForcing.loss`), AdamW with linear warm-up and cosine decay, gradient
/// clipping.
public final class GeneratorTrainer {
    public let configuration: GeneratorTrainingConfiguration
    public let model: TrainableMusicgen
    public let optimizer: Adam
    let schedule: CosineAnnealingSchedule

    public init(configuration: GeneratorTrainingConfiguration) {
        self.configuration = configuration
        var generator = RandomGenerator(seed: configuration.seed)
        model = TrainableMusicgen(configuration: configuration.model, generator: &generator)
        optimizer = AdamW(parameters: model.parameters(), learningRate: configuration.learningRate, betas: (0.9, 0.95),
                          weightDecay: configuration.weightDecay)
        schedule = CosineAnnealingSchedule(base: configuration.learningRate, minimum: configuration.learningRate / 20,
                                           totalSteps: configuration.totalSteps,
                                           warmupSteps: Self.warmupSteps(for: configuration))
    }

    /// The configured warm-up, shortened to a tenth of a run too short to hold it (a few-step
    /// run would otherwise never leave it, and the schedule needs steps after it).
    static func warmupSteps(for configuration: GeneratorTrainingConfiguration) -> Int {
        configuration.warmupSteps < configuration.totalSteps
            ? configuration.warmupSteps : configuration.totalSteps / 10
    }

    public func register(in state: TrainingState) {
        state.register(model, named: "generator")
        state.register(optimizer, named: "generator")
    }

    /// One step on `batch`; returns the loss (nats per token) and the gradient norm.
    public func step(_ step: Int, batch: GeneratorDataset.Batch) -> StepResult {
        optimizer.learningRate = schedule.learningRate(at: step)
        let logits = model(batch.forcing.inputs, text: batch.text, mask: batch.mask)
        let loss = batch.forcing.loss(logits)
        optimizer.zeroGradients()
        loss.backward()
        var losses = ["cross-entropy": loss.item, "learning rate": Float(optimizer.learningRate)]
        if configuration.gradientClip > 0 {
            losses["gradient norm"] = GradientClipping.clipNorm(of: optimizer.parameters, maxNorm: configuration.gradientClip)
        }
        optimizer.step()
        return StepResult(losses: losses)
    }
}
