import Foundation
import HarpNN
import HarpTensor

/// Music2Latent, the consistency autoencoder of seed 002: audio ↔ continuous latents
/// `[channels, 64, frames]` at `sampleRate / (hop·downscaling)` Hz (~10.8 Hz at 44.1 kHz).
///
/// ```swift
/// let model = try ConsistencyAutoencoder(folder: URL(fileURLWithPath: "music2latent"))
/// let latents = try model.encode(audio)                 // [channels, 64, frames]
/// var generator = RandomGenerator(seed: 0)
/// let decoded = try model.decode(latents, steps: 1, generator: &generator)
/// ```
///
/// Channels of multichannel audio are independent batch items, as in the reference. `encode` and
/// `decode` run the whole input at once; `encodeLong` / `decodeLong` go chunk by chunk.
public final class ConsistencyAutoencoder {
    public let configuration: LatentConfiguration
    let network: ConsistencyUNet
    let representation: SpectralRepresentation

    /// A model with random weights (for benchmarks and tests).
    public init(configuration: LatentConfiguration, seed: UInt64 = 0) throws(LatentError) {
        if let failure = configuration.validationFailure() { throw .unsupportedConfiguration(failure) }
        self.configuration = configuration
        var generator = RandomGenerator(seed: seed)
        network = ConsistencyUNet(configuration: configuration, generator: &generator)
        network.eval()
        representation = SpectralRepresentation(configuration: configuration)
    }

    public var sampleRate: Int { configuration.sampleRate }
    public var latentChannels: Int { configuration.bottleneckChannels }
    /// Latent frames per second.
    public var latentRate: Double { Double(sampleRate) / Double(configuration.samplesPerLatentFrame) }
    /// The width of the pre-bottleneck features.
    public var featureChannels: Int {
        configuration.baseChannels * configuration.multipliers.last! * configuration.bottomFrequencyCount
    }

    // MARK: - Encoding

    /// The compressed spectrogram `[channels, 2, bins, frames]` of the cropped audio.
    func spectrogram(_ audio: Tensor) throws(LatentError) -> Tensor {
        try checkAudio(audio)
        let cropped = configuration.croppedLength(audio.shape[1])
        return representation.spectrogram(audio.sliced(alongAxis: 1, end: cropped))
    }

    /// Latents `[channels, latentChannels, frames]` of `[channels, samples]` audio, scaled as the
    /// package's `EncoderDecoder.encode` returns them (tanh output / `sigma_rescale`). The audio
    /// is cropped to whole latent frames first (the package's crop).
    public func encode(_ audio: Tensor) throws(LatentError) -> Tensor {
        let spectrogram = try spectrogram(audio)
        return withoutGradients { network.encoder(spectrogram) * (1 / configuration.sigmaRescale) }
    }

    /// The encoder's pre-bottleneck features `[channels, featureChannels, frames]` (not decodable).
    public func features(_ audio: Tensor) throws(LatentError) -> Tensor {
        let spectrogram = try spectrogram(audio)
        return withoutGradients { network.encoder.features(spectrogram) }
    }

    // MARK: - Decoding

    /// Audio `[channels, frames·samplesPerLatentFrame + 3·hop]` from latents `[channels,
    /// latentChannels, frames]`, by `steps` consistency steps from noise.
    ///
    /// - Parameters:
    ///   - noise: the standard-normal starting noise `[channels, 2, bins, frames·downscaling]`
    ///     (the model starts from `noise·σ_max`); drawn from `generator` when `nil`. Later steps
    ///     always draw their re-noising from `generator`.
    public func decode(_ latents: Tensor, steps: Int = 1, noise: Tensor? = nil,
                       generator: inout RandomGenerator) throws(LatentError) -> Tensor {
        try checkLatents(latents)
        guard steps >= 1 else { throw .invalidSteps(steps) }
        let shape = spectrogramShape(latents)
        if let noise, noise.shape != shape {
            throw .invalidNoise("shape \(noise.shape), expected \(shape) for these latents")
        }
        let start = noise ?? Tensor.normal(shape, generator: &generator)
        let spectrogram = withoutGradients {
            denoise(latents: latents, start: start, steps: steps, generator: &generator)
        }
        return withoutGradients { representation.waveform(spectrogram) }
    }

    /// The decoded spectrogram (the reference's `reverse_diffusion`); the pyramid is computed once.
    func denoise(latents: Tensor, start: Tensor, steps: Int, generator: inout RandomGenerator) -> Tensor {
        let pyramid = network.decoder(latents * configuration.sigmaRescale)
        var noisy = start * configuration.sigmaMax
        var prediction = noisy
        for step in 0..<steps {
            let sigma = NoiseSchedule.sigma(index: steps + 1 - step, stepCount: steps, configuration: configuration)
            prediction = network(noisy, sigma: sigma, pyramid: pyramid)
            if step < steps - 1 {
                let next = NoiseSchedule.sigma(index: steps - step, stepCount: steps, configuration: configuration)
                let scale = (next * next - configuration.sigmaMin * configuration.sigmaMin).squareRoot()
                noisy = prediction + Tensor.normal(prediction.shape, generator: &generator) * scale
            }
        }
        return prediction
    }

    func spectrogramShape(_ latents: Tensor) -> [Int] {
        [latents.shape[0], configuration.dataChannels, configuration.binCount,
         latents.shape[2] * configuration.downscalingFactor]
    }

    // MARK: - Checks

    func checkAudio(_ audio: Tensor) throws(LatentError) {
        guard audio.rank == 2, audio.shape[0] >= 1 else {
            throw .invalidAudio("expected [channels, samples], got \(audio.shape)")
        }
        guard audio.shape[1] >= configuration.minimumSampleCount else {
            throw .audioTooShort(samples: audio.shape[1], minimum: configuration.minimumSampleCount, sampleRate: sampleRate)
        }
        guard audio.scalars.allSatisfy({ $0.isFinite }) else { throw .invalidAudio("contains NaN or infinity") }
    }

    func checkLatents(_ latents: Tensor) throws(LatentError) {
        guard latents.rank == 3 else {
            throw .invalidLatents("rank \(latents.rank) (shape \(latents.shape)); expected [channels, \(latentChannels), frames]")
        }
        guard latents.shape[1] == latentChannels else {
            throw .invalidLatents("\(latents.shape[1]) latent channels; this model has \(latentChannels) (shape [channels, \(latentChannels), frames])")
        }
        guard latents.shape[0] >= 1, latents.shape[2] >= 1 else { throw .invalidLatents("empty shape \(latents.shape)") }
        guard latents.scalars.allSatisfy({ $0.isFinite }) else { throw .invalidLatents("contains NaN or infinity") }
    }
}
