import Foundation
import HarpNN
import HarpOptim
import HarpTensor
import HarpTrain

/// Consistency training of a music2latent autoencoder, end to end (encoder, pyramid decoder and
/// consistency UNet together), as the paper describes it. For a clean compressed spectrogram
/// `x₀` of a crop, per batch item:
///
///     t₊ ~ U[Δt, 1),  t = max(t₊ − Δt, 0),  σ₊ = σ(t₊), σ = σ(t)      (σ(t): iCT's ρ-schedule)
///     z ~ N(0, I);  pyramid = decoder(encoder(x₀))
///     student = F(x₀ + σ₊·z, σ₊ | pyramid);  teacher = stop-gradient F(x₀ + σ·z, σ | pyramid)
///     loss = mean over items of  d(student, teacher) / (σ₊ − σ)
///
/// with `d` iCT's pseudo-Huber distance `√(‖a − b‖² + c²) − c`, `c = 0.00054·√dim`, and the step
/// `Δt` shrinking over training (`LatentTrainingConfiguration.initialTimeStep`). The encoder
/// learns only through the student's conditioning; at `t = 0` the teacher is `x₀` itself
/// (`c_skip(σ_min) = 1`), which anchors the chain to the data.
///
/// ref: Pasini et al., arXiv 2408.06500, eqs. 10–13; Song & Dhariwal, arXiv 2310.14189, §3.
/// The trainable model is the inference model itself: `autoencoder` encodes and decodes with the
/// weights being trained, through the same modules.
///
/// Every random draw is a pure function of the seed and the step, so a resumed run continues exactly.
public final class LatentTrainer {
    public let configuration: LatentTrainingConfiguration
    public let autoencoder: ConsistencyAutoencoder
    public let optimizer: Adam
    public let schedule: CosineAnnealingSchedule
    /// The average of the weights, which is evaluated and exported.
    public let average: ExponentialMovingAverage
    /// Called with the parameters after `backward` and before the optimiser steps (data-parallel
    /// training averages the gradients across processes here).
    public var gradientReducer: (([Tensor]) -> Void)?

    var network: ConsistencyUNet { autoencoder.network }

    /// The configured warm-up, shortened to a tenth of a run too short to hold it (the schedule
    /// needs steps after it; a 30-step run with the default 200-step warm-up used to trap).
    static func warmupSteps(for configuration: LatentTrainingConfiguration) -> Int {
        configuration.warmupSteps < configuration.totalSteps
            ? configuration.warmupSteps : configuration.totalSteps / 10
    }

    public init(configuration: LatentTrainingConfiguration) throws {
        if let failure = configuration.validationFailure() { throw LatentError.unsupportedConfiguration(failure) }
        self.configuration = configuration
        autoencoder = try ConsistencyAutoencoder(configuration: configuration.model, seed: configuration.seed)
        autoencoder.network.zeroInitializeResidualOutputs()
        autoencoder.network.train()
        optimizer = Adam(parameters: autoencoder.network.parameters(), learningRate: configuration.learningRate)
        schedule = CosineAnnealingSchedule(base: configuration.learningRate, minimum: configuration.minimumLearningRate,
                                           totalSteps: configuration.totalSteps, warmupSteps: Self.warmupSteps(for: configuration))
        average = ExponentialMovingAverage(module: autoencoder.network, decay: configuration.averageDecay)
    }

    /// Registers everything a checkpoint must hold.
    public func register(in state: TrainingState) {
        state.register(network, named: "unet")
        state.register(optimizer, named: "unet")
        state.register(average, named: "unet")
    }

    /// The discretisation step in continuous time at `step`: `Δt₀^((k/K)·(e − 1) + 1)`.
    public func timeStep(at step: Int) -> Float {
        let progress = Double(step) / Double(configuration.totalSteps)
        return Float(pow(configuration.initialTimeStep, progress * (configuration.timeStepExponent - 1) + 1))
    }

    /// One optimiser step on `batch [batch, channels, samples]` (`samples ≥ cropSampleCount`).
    public func step(_ step: Int, batch: Tensor) -> StepResult {
        let audio = batch.reshaped([batch.shape[0] * batch.shape[1], batch.shape[2]])
            .sliced(alongAxis: 1, end: configuration.cropSampleCount)
        let clean = withoutGradients { autoencoder.representation.spectrogram(audio) }
        let (noise, times) = draws(at: step, shape: clean.shape)
        let delta = timeStep(at: step)
        let loss = consistencyLoss(clean: clean, noise: noise, times: times, timeStep: delta)
        optimizer.learningRate = schedule.learningRate(at: step)
        optimizer.zeroGradients()
        loss.backward()
        gradientReducer?(optimizer.parameters)
        var losses = ["consistency": loss.item, "Δt": delta, "learning rate": Float(optimizer.learningRate)]
        if configuration.gradientClip > 0 {
            losses["gradient norm"] = GradientClipping.clipNorm(of: optimizer.parameters, maxNorm: configuration.gradientClip)
        }
        optimizer.step()
        average.update()
        return StepResult(losses: losses)
    }

    /// The noise `z` (standard normal, `shape`) and the upper times `t₊ ~ U[Δt, 1)` of `step`,
    /// one per batch item; `t₊` is drawn in [0, 1) here and mapped by `consistencyLoss`.
    func draws(at step: Int, shape: [Int]) -> (noise: Tensor, times: [Float]) {
        var generator = RandomGenerator(seed: configuration.seed &+ 0x6C61_7465, position: UInt64(step) << 36)
        let noise = Tensor.normal(shape, generator: &generator)
        let times = (0..<shape[0]).map {
            RandomGenerator.unitFloat(seed: configuration.seed &+ 0x7469_6D65, counter: UInt64(step * shape[0] + $0))
        }
        return (noise, times)
    }

    /// The consistency-training loss of clean spectrograms `[B, 2, bins, frames]` with noise `z`
    /// (same shape), uniform draws `u ∈ [0, 1)` per item (`t₊ = u·(1 − Δt) + Δt`, as the reference
    /// re-creation samples it) and step `Δt`. Float32 throughout, as torch computes it.
    func consistencyLoss(clean: Tensor, noise: Tensor, times uniform: [Float], timeStep delta: Float) -> Tensor {
        let c = configuration.model
        let upperTimes = uniform.map { $0 * (1 - delta) + delta }
        let upper = upperTimes.map { NoiseSchedule.sigma(continuous: $0, configuration: c) }
        let lower = upperTimes.map { NoiseSchedule.sigma(continuous: Swift.max($0 - delta, 0), configuration: c) }
        let batch = clean.shape[0]
        func perItem(_ values: [Float]) -> Tensor { Tensor(shape: [batch, 1, 1, 1], values: values) }
        let pyramid = network.decoder(network.encoder(clean))
        let student = network(clean + perItem(upper) * noise, sigmas: upper, pyramid: pyramid)
        let teacher = withoutGradients {
            network(clean + perItem(lower) * noise, sigmas: lower, pyramid: pyramid)
        }
        let distance = pseudoHuber(student, teacher)
        let weights = Tensor(zip(upper, lower).map { 1 / ($0 - $1) })
        return (distance * weights).mean()
    }

    /// iCT's pseudo-Huber distance per batch item: `√(‖a − b‖² + c²) − c`, `c = huberScale·√dim`.
    func pseudoHuber(_ a: Tensor, _ b: Tensor) -> Tensor {
        let batch = a.shape[0], dimension = a.count / batch
        let constant = Float(configuration.huberScale * Double(dimension).squareRoot())
        let squared = (a - b).square().reshaped([batch, dimension]).sum(alongAxis: 1)
        return (squared + constant * constant).sqrt() - constant
    }

    // MARK: - Evaluation and export

    /// `clip [channels, samples]` encoded and decoded in one step with the averaged weights
    /// (seeded noise), cropped to whole latent frames.
    public func reconstruct(_ clip: Tensor, seed: UInt64 = 0) throws -> Tensor {
        average.swap()
        defer { average.swap() }
        let latents = try autoencoder.encode(clip)
        var generator = RandomGenerator(seed: seed)
        return try autoencoder.decode(latents, generator: &generator)
    }

    /// Held-out quality of one-step reconstructions with the averaged weights: the mean over
    /// `clips` (each `[channels, samples]`) of mel distance and SI-SDR.
    public func evaluate(_ clips: [Tensor]) throws -> LatentQuality {
        var sums = (mel: Float(0), sdr: Float(0))
        for clip in clips {
            let quality = LatentQuality.measure(try reconstruct(clip), against: clip, sampleRate: configuration.model.sampleRate)
            sums = (sums.mel + quality.melDistance, sums.sdr + quality.siSDR)
        }
        let n = Float(Swift.max(1, clips.count))
        return LatentQuality(melDistance: sums.mel / n, siSDR: sums.sdr / n)
    }

    /// Exports the averaged weights as a model folder (`config.json` + `model.safetensors`).
    public func export(to folder: URL, halfPrecision: Bool = false) throws {
        average.swap()
        defer { average.swap() }
        try autoencoder.export(to: folder, halfPrecision: halfPrecision)
    }
}
