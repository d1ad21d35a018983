import Foundation
import HarpTensor

extension AsuraModel {
    /// Latents of audio windows `[batch, samples, channels]` (at least `encoderLengthSamples`
    /// samples; the rest is ignored) → `[batch, d_token]`: the tokens of the first
    /// `seq_enc_length_tokens` tokens' magnitude frames through the sequence encoder, read at its
    /// scratch token (ref: asura.py `encode`).
    public func latents(of samples: Tensor) -> Tensor {
        precondition(samples.shape[1] >= config.encoderLengthSamples,
                     "encode: \(samples.shape[1]) samples, the encoder reads \(config.encoderLengthSamples)")
        let window = samples.sliced(alongAxis: 1, start: 0, end: config.encoderLengthSamples)
        let magnitude = framing.frames(of: window).magnitude
        let tokens = tokens(ofMagnitudeFrames: magnitude)
        return sequenceEncoder(tokens).sliced(alongAxis: 1, start: 0, end: 1).reshaped([samples.shape[0], config.tokenWidth])
    }
}

extension AsuraModel {
    /// The latents of a whole clip `[channels, samples]` at 44.1 kHz, one per consecutive window of
    /// `encoderLengthSamples` (what encode.py caches, there at random offsets): `[windows, d_token]`,
    /// `batchSize` windows per encoder call; `progress(done, total)` after each call. A clip shorter
    /// than one window gives no latents.
    public func latents(ofClip clip: Tensor, batchSize: Int = 8, progress: (Int, Int) -> Void = { _, _ in }) -> Tensor {
        let (channels, samples, window) = (clip.shape[0], clip.shape[1], config.encoderLengthSamples)
        precondition(channels == config.signalChannels, "encode: \(channels) channels, the model takes \(config.signalChannels)")
        let count = samples / window
        guard count > 0 else { return Tensor.zeros([0, config.tokenWidth]) }
        let frames = clip.permuted([1, 0])  // [samples, channels], the reference's layout
        var rows: [Tensor] = []
        for start in stride(from: 0, to: count, by: batchSize) {
            let end = min(count, start + batchSize)
            let batch = frames.sliced(alongAxis: 0, start: start * window, end: end * window)
                .reshaped([end - start, window, channels])
            rows.append(withoutGradients { latents(of: batch) })
            progress(end, count)
        }
        return Tensor.concatenated(rows, alongAxis: 0)
    }

    /// A model file written by `harp train asura` (`model.safetensors`, the config text in its
    /// metadata under `asura.config`).
    public static func load(contentsOf url: URL) throws -> AsuraModel {
        let file = try SafeTensorsFile(contentsOf: url)
        guard let text = file.metadata["asura.config"] else {
            throw AsuraConfigurationError.unreadable("\(url.lastPathComponent) has no asura.config metadata: not an Asura model")
        }
        let configuration = try AsuraConfiguration(jsonData: Data(text.utf8))
        var generator = RandomGenerator(seed: 0)
        let model = AsuraModel(configuration.model, generator: &generator)
        _ = try model.load(from: url)
        return model
    }
}
