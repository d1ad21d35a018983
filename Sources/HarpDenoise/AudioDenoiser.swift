import HarpAudio

/// DeepFilterNet3 on audio at any rate and channel count, in bounded memory: each channel is
/// resampled to 48 kHz, enhanced by its own `DeepFilterNet3`, resampled back, and realigned (the
/// model's 1440-sample delay removed), so the output has exactly the input's frames.
///
/// Feed chunks with `process`, then call `finish` once.
public final class AudioDenoiser {
    public let sampleRate: Int
    public let channelCount: Int
    let models: [DeepFilterNet3]
    let toModelRate: [Resampler]
    let fromModelRate: [Resampler]
    /// Model-rate samples still to drop from each channel's output (the model's delay).
    private var delayToDrop: [Int]
    private var inputFrames = 0
    private var outputFrames = 0
    /// Measures the enhanced signal (per channel) with the model's own SNR estimator.
    let outputMeters: [LocalSNREstimator]

    /// The model's mean local SNR of the input (dB) over hops with sound, all channels.
    public var inputSNRDecibels: Double? {
        let count = models.reduce(0) { $0 + $1.enhancedHopCount }
        return count > 0 ? models.reduce(0) { $0 + $1.localSNRSum } / Double(count) : nil
    }

    /// The same estimate for the enhanced signal.
    public var outputSNRDecibels: Double? {
        let count = outputMeters.reduce(0) { $0 + $1.hopCount }
        return count > 0 ? outputMeters.reduce(0) { $0 + $1.sum } / Double(count) : nil
    }

    /// - Parameters:
    ///   - attenuationLimitDecibels: at most this much reduction (`nil`: none).
    ///   - postFilterBeta: 0 for none, 0.02 is libDF's usual value.
    public init(weights: DeepFilterNetWeights, sampleRate: Int, channelCount: Int,
                attenuationLimitDecibels: Float?, postFilterBeta: Float) throws {
        guard channelCount >= 1 else { throw DenoiseError.invalidArgument("the audio has no channels") }
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        let modelRate = DeepFilterNetConfiguration().sampleRate
        models = try (0..<channelCount).map { _ in
            try DeepFilterNet3(weights: weights, attenuationLimitDecibels: attenuationLimitDecibels,
                               postFilterBeta: postFilterBeta)
        }
        toModelRate = try (0..<channelCount).map { _ in
            try Resampler(inputSampleRate: sampleRate, outputSampleRate: modelRate, channelCount: 1)
        }
        fromModelRate = try (0..<channelCount).map { _ in
            try Resampler(inputSampleRate: modelRate, outputSampleRate: sampleRate, channelCount: 1)
        }
        outputMeters = try (0..<channelCount).map { _ in try LocalSNREstimator(weights: weights) }
        delayToDrop = Array(repeating: models[0].configuration.delaySamples, count: channelCount)
    }

    /// Enhances the next chunk (interleaved, the denoiser's rate and channels); returns the
    /// output frames ready so far (fewer than given at first, because of the model's delay).
    public func process(_ buffer: AudioBuffer) throws -> AudioBuffer {
        guard buffer.channelCount == channelCount, buffer.sampleRate == sampleRate else {
            throw DenoiseError.invalidArgument("chunk is \(buffer.channelCount) ch at \(buffer.sampleRate) Hz, "
                                               + "expected \(channelCount) ch at \(sampleRate) Hz")
        }
        inputFrames += buffer.frameCount
        let channels = buffer.planar.enumerated().map { index, samples in
            enhance(channel: index, toModelRate[index].process(AudioBuffer(planar: [samples], sampleRate: sampleRate)).samples)
        }
        return interleave(channels, limit: Int.max)
    }

    /// Flushes the resamplers and the model's delay; returns the last output frames, so that the
    /// whole output has as many frames as the input.
    public func finish() -> AudioBuffer {
        let delay = models[0].configuration.delaySamples
        let channels = (0..<channelCount).map { index in
            var tail = toModelRate[index].flush().samples
            tail += [Float](repeating: 0, count: delay + models[index].configuration.hopSize)
            let enhanced = enhance(channel: index, tail)
            return enhanced + fromModelRate[index].flush().samples
        }
        return interleave(channels, limit: inputFrames - outputFrames)
    }

    private func enhance(channel index: Int, _ samples: [Float]) -> [Float] {
        let enhanced = models[index].process(samples).samples
        let drop = min(delayToDrop[index], enhanced.count)
        delayToDrop[index] -= drop
        let aligned = Array(enhanced[drop...])
        outputMeters[index].measure(aligned)
        return fromModelRate[index].process(AudioBuffer(planar: [aligned], sampleRate: models[index].configuration.sampleRate)).samples
    }

    /// Interleaves equal-length channels (they are, as every channel sees the same frame counts),
    /// keeping at most `limit` frames.
    private func interleave(_ channels: [[Float]], limit: Int) -> AudioBuffer {
        let frames = min(channels.map(\.count).min() ?? 0, limit)
        outputFrames += frames
        return AudioBuffer(planar: channels.map { Array($0.prefix(frames)) }, sampleRate: sampleRate)
    }
}
