/// The `model` object of an Asura config file: the keyword arguments of the reference's
/// `ASURA.__init__` (`harp/asura/asura.py`), with its defaults, so the published
/// `configs/asura/asura.json` loads as it is.
public struct AsuraModelConfiguration: Equatable, Sendable {
    public enum Prior: String, Sendable { case uniform, normal }

    public var tokenEncoder: UNetConfiguration
    public var decoderMagnitude: UNetConfiguration
    public var decoderPhase: UNetConfiguration
    public var sequenceEncoder: TransformerConfiguration
    public var sequencePredictor: TransformerConfiguration
    /// Audio channels.
    public var signalChannels: Int
    public var tokenWidth: Int
    /// Width of the sinusoidal encodings of times and time deltas.
    public var timeEncodingWidth: Int
    public var lookbackFrames: Int
    public var timeScale: Float
    public var frameSamples: Int
    public var frameOverlapSamples: Int
    public var framesPerToken: Int
    /// Extra future tokens the predictor guesses, one of which conditions each frame.
    public var predictorExtraFuture: Int
    public var lengthTokens: Int
    public var encoderLengthTokens: Int
    /// Frames per example that the decoders train on (−1: all).
    public var predictedFrames: Int
    public var contextNoiseGlobal: AsuraDistribution
    public var contextNoiseFrame: AsuraDistribution
    public var timeDistribution: AsuraDistribution
    public var substepDistribution: AsuraDistribution
    public var substepAutoguidance: Float
    public var encodingDropout: Float
    public var prior: Prior
    public var sampleContextNoise: Float
    public var emaDecay: Float
    public var adaptiveWeightMax: Float
    public var trainsVelocity: Bool

    init(_ object: inout ConfigurationReader.Object) {
        var tokenObject = object.object("token_encoder")
        tokenEncoder = UNetConfiguration(&tokenObject, derivesBottleneck: true)
        var magnitudeObject = object.object("decoder_m")
        decoderMagnitude = UNetConfiguration(&magnitudeObject, derivesBottleneck: false)
        var phaseObject = object.object("decoder_phi")
        decoderPhase = UNetConfiguration(&phaseObject, derivesBottleneck: false)
        var encoderObject = object.object("seq_encoder")
        sequenceEncoder = TransformerConfiguration(&encoderObject)
        var predictorObject = object.object("seq_predictor")
        sequencePredictor = TransformerConfiguration(&predictorObject)
        signalChannels = object.int("d_signal")
        tokenWidth = object.int("d_token")
        timeEncodingWidth = object.int("d_t_enc", default: 64)
        lookbackFrames = object.int("decoder_lookback_frames")
        timeScale = object.float("t_scale", default: 1000)
        frameSamples = object.int("frame_samples")
        frameOverlapSamples = object.int("frame_overlap_samples", default: 0)
        framesPerToken = object.int("frames_per_token", default: 1)
        predictorExtraFuture = object.int("seq_pred_extra_future", default: 0)
        lengthTokens = object.int("length_tokens")
        encoderLengthTokens = object.int("seq_enc_length_tokens")
        predictedFrames = object.int("pred_grad_frames", default: -1)
        let reader = object.reader
        func distribution(_ key: String) -> AsuraDistribution {
            let raw = object.raw(key)
            guard raw != nil else { return .uniform(low: 0, high: 1) }
            guard let parsed = AsuraDistribution(raw, path: object.name(key), reader: reader) else {
                object.reportWrongType(key)
                return .uniform(low: 0, high: 1)
            }
            return parsed
        }
        contextNoiseGlobal = distribution("p_eps_ctx_global")
        contextNoiseFrame = distribution("p_eps_ctx_frame")
        timeDistribution = distribution("p_t")
        substepDistribution = distribution("p_s")
        substepAutoguidance = object.float("substep_autoguidance", default: 1)
        encodingDropout = object.float("c_enc_drop", default: 0)
        let priorName = object.string("prior", default: "uniform")
        prior = Prior(rawValue: priorName) ?? .uniform
        if Prior(rawValue: priorName) == nil { object.reportWrongType("prior") }
        sampleContextNoise = object.float("sample_eps_ctx", default: 0)
        emaDecay = object.float("ema", default: 0.9999)
        adaptiveWeightMax = object.float("adapt_w_max", default: 7)
        trainsVelocity = object.bool("train_v", default: true)
        object.finish()
    }

    // MARK: Derived sizes (as `ASURA.__init__` derives them)

    /// Frequency bins per frame: half the frame (the Nyquist bin is dropped).
    public var frameBins: Int { frameSamples / 2 }
    public var frameHop: Int { frameSamples - frameOverlapSamples }
    public var lengthFrames: Int { lengthTokens * framesPerToken }
    public var lengthSamples: Int { (lengthFrames - 1) * frameHop + frameSamples }
    public var encoderLengthFrames: Int { encoderLengthTokens * framesPerToken }
    public var encoderLengthSamples: Int { (encoderLengthFrames - 1) * frameHop + frameSamples }
    /// Samples per training example: the predicted span, then room for the encoder's window.
    public var exampleLengthSamples: Int { lengthSamples + encoderLengthSamples }
    /// Channels of the phase frames: real and imaginary parts of each audio channel.
    public var phaseChannels: Int { 2 * signalChannels }
    /// Bottleneck positions of the token encoder; `d_token / positions` channels each.
    public var tokenBottleneckBins: Int { frameBins / tokenEncoder.totalFactor }

    func validate() throws(AsuraConfigurationError) {
        guard signalChannels > 0, tokenWidth > 0, frameSamples > 0, lengthTokens > 1, encoderLengthTokens > 0,
              framesPerToken > 0, lookbackFrames > 0, predictorExtraFuture >= 0 else {
            throw .inconsistent("sizes must be positive (length_tokens at least 2, decoder_lookback_frames at least 1)")
        }
        guard frameSamples % 2 == 0, frameOverlapSamples >= 0, frameHop > 0 else {
            throw .inconsistent("frame_samples must be even and larger than frame_overlap_samples")
        }
        guard timeEncodingWidth > 0, timeEncodingWidth % 2 == 0 else { throw .inconsistent("d_t_enc must be even") }
        try tokenEncoder.validate(name: "token_encoder", bins: frameBins)
        try decoderMagnitude.validate(name: "decoder_m", bins: frameBins)
        try decoderPhase.validate(name: "decoder_phi", bins: frameBins)
        try sequenceEncoder.validate(name: "seq_encoder")
        try sequencePredictor.validate(name: "seq_predictor")
        guard tokenWidth % tokenBottleneckBins == 0 else {
            throw .inconsistent("d_token \(tokenWidth) is not divisible by the token encoder's \(tokenBottleneckBins) bottleneck bins")
        }
        guard predictedFrames == -1 || (1...lengthFrames).contains(predictedFrames) else {
            throw .inconsistent("pred_grad_frames \(predictedFrames) must be -1 or 1…\(lengthFrames)")
        }
        guard frameOverlapSamples * 4 == frameSamples * 3 else {
            // ref: asura.py signal_to_frames — the odd-bin sign flip assumes hop·4 = window.
            throw .inconsistent("frame_overlap_samples must be 3/4 of frame_samples (the framing assumes a hop of a quarter frame)")
        }
    }
}
