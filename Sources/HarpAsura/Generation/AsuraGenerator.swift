import HarpTensor

/// Streaming generation: audio block by block, each block one frame hop long, from a latent given
/// per block (ref: alephic/asura `harp/asura/asura.py` `sample` and `sample_single_frame`, the loop
/// of `play.py`).
///
/// Each frame starts from prior noise and is decoded, magnitude first, then phase, by the flow
/// decoders conditioned on the latent, the sequence predictor's context for that frame (from the
/// last `length_tokens − 1` tokens of generated frames, refreshed once per token) and the previous
/// `decoder_lookback_frames` generated frames (with `eps_ctx` noise mixed in). The phase frame
/// takes the magnitude frame's magnitudes and is overlap-added into audio. Nothing of the past is
/// recomputed: the state is the lookback frames, the recent tokens, the predicted context of the
/// current token and the overlap-add tail, all bounded.
///
/// A latent change takes effect in the very next block (the block's frame is decoded with it).
/// Not thread-safe: one generator per stream.
public final class AsuraGenerator {
    public let model: AsuraModel
    public let options: AsuraSamplingOptions
    public let draws: AsuraDrawSource
    public var config: AsuraModelConfiguration { model.config }
    /// Samples per block (per channel): the frame hop.
    public var blockSampleCount: Int { config.frameHop }
    public var channelCount: Int { config.signalChannels }
    /// Frames generated since the last reset.
    public internal(set) var frameIndex = 0

    var previousMagnitude: [Tensor] = []  // lookback frames [1, bins, channels], oldest first
    var previousPhase: [Tensor] = []      // [1, bins, 2·channels]
    var tokens: [Tensor] = []             // the last length_tokens − 1 tokens, [1, 1, d_token] each
    var context = Tensor.zeros([1, 1])    // the predicted context of the current token's frames [fpt, d_token]
    var synthesizer: FrameSynthesizer

    /// - Parameter draws: the prior noise (`RandomDraws` for fresh sound; `RecordedDraws` to replay
    ///   a reference run).
    public init(model: AsuraModel, options: AsuraSamplingOptions, draws: AsuraDrawSource) {
        self.model = model
        self.options = options
        self.draws = draws
        synthesizer = FrameSynthesizer(framing: model.framing, channelCount: model.config.signalChannels)
        reset()
    }

    /// Starts a new stream: no tokens, an empty overlap-add tail, and fresh lookback noise drawn
    /// when the first block is asked for.
    public func reset() {
        previousMagnitude = []
        previousPhase = []
        tokens = []
        frameIndex = 0
        synthesizer.reset()
    }

    /// The lookback frames before the first frame: prior noise.
    func drawLookback() {
        let (lookback, bins, channels) = (config.lookbackFrames, config.frameBins, config.signalChannels)
        let magnitude = draws.prior([1, lookback, bins, channels], isMagnitude: true)
        let phase = draws.prior([1, lookback, bins, 2 * channels], isMagnitude: false)
        previousMagnitude = (0..<lookback).map { magnitude.sliced(alongAxis: 1, start: $0, end: $0 + 1).reshaped([1, bins, channels]) }
        previousPhase = (0..<lookback).map { phase.sliced(alongAxis: 1, start: $0, end: $0 + 1).reshaped([1, bins, 2 * channels]) }
    }

    /// The next block of audio, `blockSampleCount` samples interleaved `[samples, channels]`,
    /// decoded with `latent` (`d_token` values).
    public func nextBlock(latent: [Float]) -> [Float] {
        precondition(latent.count == config.tokenWidth, "generator: a latent of \(latent.count) values, the model's are \(config.tokenWidth)")
        let frame = withoutGradients { nextFrame(latent: Tensor(shape: [1, config.tokenWidth], values: latent)) }
        return synthesizer.push(frame.scalars)
    }

    /// The tail after the last block (`frameSamples − hop` samples per channel, interleaved): what
    /// ends an offline render. The generator then starts a new stream.
    public func finish() -> [Float] {
        let tail = synthesizer.finish()
        reset()
        return tail
    }

    /// A whole offline render of `frameCount` frames: `(frameCount − 1)·hop + frameSamples` samples
    /// interleaved, the latent of frame `i` from `latent(i)` (the reference's `sample` with `c_encs`).
    public func render(frameCount: Int, latent: (Int) -> [Float]) -> [Float] {
        var out = [Float]()
        out.reserveCapacity(((frameCount - 1) * blockSampleCount + config.frameSamples) * channelCount)
        for i in 0..<frameCount { out += nextBlock(latent: latent(i)) }
        return out + finish()
    }
}

extension AsuraGenerator {
    /// Starts the stream as if `tokens` (`[count, d_token]`, oldest first; the last
    /// `length_tokens − 1` are kept) had been generated before: the predictor sees them as the past
    /// (the reference's `prefill` gives the tokens of a prompt). Call before the first block of a
    /// stream.
    public func primeContext(tokens primed: Tensor) {
        precondition(frameIndex == 0 && primed.rank == 2 && primed.shape[1] == config.tokenWidth,
                     "generator: prime a fresh stream with tokens [count, \(config.tokenWidth)], got \(primed.shape)")
        let keep = min(primed.shape[0], config.lengthTokens - 1)
        tokens = (primed.shape[0] - keep..<primed.shape[0]).map {
            primed.sliced(alongAxis: 0, start: $0, end: $0 + 1).reshaped([1, 1, config.tokenWidth])
        }
    }
}
