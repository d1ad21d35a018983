import HarpNN
import HarpOptim
import HarpTensor

/// One optimisation step of Asura as the reference trains it (alephic/asura
/// `harp/asura/train.py`): the losses' sum backpropagated, gradients clipped to `clip_grad` in two
/// groups (`w_net` apart from the rest, `grad_clip_groups`), AdamW (or Adam) at the learning rate of
/// the warm-up-then-decay schedule, then the moving average of the weights.
public final class AsuraTrainer {
    public let configuration: AsuraConfiguration
    public let model: AsuraModel
    public let optimizer: Adam
    public let average: ExponentialMovingAverage
    public let draws: RandomDraws

    public init(configuration: AsuraConfiguration, model: AsuraModel, seed: UInt64) {
        self.configuration = configuration
        self.model = model
        let settings = configuration.optimizer
        let betas = (Double(settings.betas[0]), Double(settings.betas[1]))
        if settings.type.lowercased() == "adam" {
            optimizer = Adam(parameters: model.parameters(), learningRate: Double(settings.learningRate), betas: betas,
                             weightDecay: Double(settings.weightDecay))
        } else {
            optimizer = AdamW(parameters: model.parameters(), learningRate: Double(settings.learningRate), betas: betas,
                              weightDecay: Double(settings.weightDecay))
        }
        average = ExponentialMovingAverage(module: model, decay: Double(configuration.model.emaDecay))
        draws = RandomDraws(generator: RandomGenerator(seed: seed &+ 0x61_7375_7261), prior: configuration.model.prior)
    }

    /// Trains on `batch [batch, example_length_samples, d_signal]` as step `step` (0-based: the
    /// schedule's position) and returns the loss terms and the gradient norms before clipping.
    public func step(_ batch: Tensor, step: Int) -> [String: Float] {
        model.zeroGradients()
        let losses = model.trainingLosses(batch, draws: draws)
        losses.total.backward()
        var report = Dictionary(uniqueKeysWithValues: losses.named.map { ($0.name, $0.value.item) })
        if let clip = configuration.gradientClip {
            report["grad_norm_main"] = GradientClipping.clipNorm(of: model.mainParameters, maxNorm: Double(clip))
            report["grad_norm_w_net"] = GradientClipping.clipNorm(of: model.lossWeight.parameters(), maxNorm: Double(clip))
        }
        // ref: LambdaLR — the k-th optimiser step uses the factor of k completed steps (0 at the start of warm-up).
        let rate = Double(configuration.optimizer.learningRate) * Double(configuration.learningRateFactor(step: step))
        optimizer.learningRate = rate
        optimizer.step()
        average.update()
        report["lr"] = Float(rate)
        return report
    }
}
