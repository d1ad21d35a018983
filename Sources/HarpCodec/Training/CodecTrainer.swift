import Foundation
import HarpDSP
import HarpNN
import HarpOptim
import HarpTensor
import HarpTrain

/// One codec training step after another (seed 003, SoundStream/EnCodec recipe): the codec
/// reconstructs a batch through a random number of codebooks (quantiser dropout, so one model
/// serves every bitrate), learns from the multi-scale mel distance, the waveform L1 distance and
/// the commitment loss, and — from `adversarialFromStep` — from multi-scale STFT discriminators
/// (hinge or least-squares) with feature matching, the discriminators trained in turn.
///
/// Every random choice is a pure function of the seed and the step, or comes from
/// `codebookGenerator` (saved in checkpoints), so a resumed run continues exactly.
public final class CodecTrainer {
    public let configuration: CodecTrainingConfiguration
    public let model: TrainableEncodec
    public let discriminator: MultiScaleSTFTDiscriminator
    public let optimizer: Adam
    public let discriminatorOptimizer: Adam
    /// The average of the codec's weights, which is evaluated and exported.
    public let average: ExponentialMovingAverage
    /// Draws the vectors that initialise and restart codebook entries.
    public var codebookGenerator: RandomGenerator
    /// Called with the codec's (then the discriminator's) parameters after `backward` and before
    /// the optimiser steps: data-parallel training averages the gradients across processes here.
    public var gradientReducer: (([Tensor]) -> Void)?
    private let melDistance: MelDistance

    public init(configuration: CodecTrainingConfiguration) throws {
        self.configuration = configuration
        var generator = RandomGenerator(seed: configuration.seed)
        model = try TrainableEncodec(configuration: configuration.model, generator: &generator)
        discriminator = MultiScaleSTFTDiscriminator(
            filters: configuration.discriminatorFilters, channelCount: configuration.model.audioChannels,
            fftSizes: configuration.discriminatorFFTSizes, generator: &generator)
        optimizer = Adam(parameters: model.parameters(), learningRate: configuration.learningRate, betas: (0.5, 0.9))
        discriminatorOptimizer = Adam(parameters: discriminator.parameters(),
                                      learningRate: configuration.discriminatorLearningRate, betas: (0.5, 0.9))
        average = ExponentialMovingAverage(module: model, decay: configuration.averageDecay)
        codebookGenerator = RandomGenerator(seed: configuration.seed &+ 1)
        melDistance = MelDistance(sampleRate: Double(configuration.model.samplingRate))
    }

    /// Registers everything a checkpoint must hold.
    public func register(in state: TrainingState) {
        state.register(model, named: "codec")
        state.register(discriminator, named: "discriminator")
        state.register(optimizer, named: "codec")
        state.register(discriminatorOptimizer, named: "discriminator")
        state.register(average, named: "codec")
    }

    /// The codebooks step `step` trains with: one of the bitrates' counts, drawn from the step.
    public func stageCount(at step: Int) -> Int {
        let counts = model.stageCounts
        let draw = RandomGenerator.unitFloat(seed: configuration.seed &+ 2, counter: UInt64(step))
        return counts[min(counts.count - 1, Int(draw * Float(counts.count)))]
    }

    /// Whether step `step` trains adversarially.
    public func isAdversarial(at step: Int) -> Bool {
        configuration.adversarialFromStep.map { step >= $0 } ?? false
    }

    /// One step on `batch [batch, channels, samples]`; returns every loss term.
    public func step(_ step: Int, batch: Tensor) -> StepResult {
        let output = model(batch, stageCount: stageCount(at: step), updatesCodebooks: true,
                           generator: &codebookGenerator)
        var losses: [String: Float] = [:]
        var realFeatures: [[Tensor]] = []
        let critics = isAdversarial(at: step) ? critics(at: step) : []
        if !critics.isEmpty {
            let (loss, features) = trainDiscriminators(critics, real: batch, generated: output.reconstruction.detached())
            losses["discriminator"] = loss
            realFeatures = features
        }
        let w = configuration.weights
        let mel = melDistance(output.reconstruction, batch)
        let waveform = (output.reconstruction - batch).abs().mean()
        var total = mel * Float(w.mel) + waveform * Float(w.waveform) + output.commitmentLoss * Float(w.commitment)
        losses["mel"] = mel.item
        losses["waveform"] = waveform.item
        losses["commitment"] = output.commitmentLoss.item
        if !critics.isEmpty {
            let judged = critics.map { $0(output.reconstruction) }
            let adversarial = configuration.adversarialLoss.generatorLoss(generated: judged.map(\.logits))
            let matching = AdversarialLoss.featureMatchingLoss(real: realFeatures, generated: judged.map(\.features))
            total = total + adversarial * Float(w.adversarial) + matching * Float(w.featureMatching)
            losses["adversarial"] = adversarial.item
            losses["feature matching"] = matching.item
        }
        losses["total"] = total.item
        optimizer.zeroGradients()
        total.backward()
        gradientReducer?(optimizer.parameters)
        if configuration.gradientClip > 0 {
            losses["gradient norm"] = GradientClipping.clipNorm(of: optimizer.parameters, maxNorm: configuration.gradientClip)
        }
        optimizer.step()
        average.update()
        return StepResult(losses: losses)
    }

    /// The discriminators that judge step `step`: all scales, or one in turn.
    func critics(at step: Int) -> [STFTDiscriminator] {
        let all = discriminator.discriminators
        return configuration.oneScalePerStep ? [all[step % all.count]] : all
    }

    /// One discriminator update; returns its loss and the features of the real audio (constants
    /// for the generator's feature matching).
    private func trainDiscriminators(_ critics: [STFTDiscriminator], real: Tensor,
                                     generated: Tensor) -> (Float, [[Tensor]]) {
        let onReal = critics.map { $0(real) }
        let onGenerated = critics.map { $0(generated) }
        let loss = configuration.adversarialLoss.discriminatorLoss(real: onReal.map(\.logits),
                                                                   generated: onGenerated.map(\.logits))
        discriminatorOptimizer.zeroGradients()
        loss.backward()
        gradientReducer?(discriminatorOptimizer.parameters)
        discriminatorOptimizer.step()
        return (loss.item, onReal.map { $0.features.map { $0.detached() } })
    }

    /// Held-out quality at each bitrate with the averaged weights: the mean over `clips`
    /// (each `[channels, samples]`) of mel distance, SI-SDR and MR-STFT distance.
    public func evaluate(_ clips: [Tensor]) -> [(bandwidth: Double, quality: CodecQuality)] {
        average.swap()
        defer { average.swap() }
        let bandwidths = configuration.model.targetBandwidths.sorted()
        return zip(bandwidths, model.stageCounts).map { bandwidth, stages in
            var sums = (mel: Float(0), sdr: Float(0), stft: Float(0))
            for clip in clips {
                let quality = CodecQuality.measure(reconstruct(clip, stageCount: stages), against: clip,
                                                   sampleRate: configuration.model.samplingRate)
                sums = (sums.mel + quality.melDistance, sums.sdr + quality.siSDR, sums.stft + quality.stftDistance)
            }
            let n = Float(max(1, clips.count))
            return (bandwidth, CodecQuality(melDistance: sums.mel / n, siSDR: sums.sdr / n, stftDistance: sums.stft / n))
        }
    }

    /// `clip [channels, samples]` through the codec with `stageCount` codebooks (no updates).
    public func reconstruct(_ clip: Tensor, stageCount: Int) -> Tensor {
        withoutGradients {
            var unused = RandomGenerator(seed: 0)
            let batch = clip.reshaped([1] + clip.shape)
            return model(batch, stageCount: stageCount, updatesCodebooks: false, generator: &unused)
                .reconstruction.reshaped(clip.shape)
        }
    }

    /// Exports the averaged weights as an EnCodec folder.
    public func export(to folder: URL, halfPrecision: Bool = false) throws {
        average.swap()
        defer { average.swap() }
        try model.export(to: folder, halfPrecision: halfPrecision)
    }
}
