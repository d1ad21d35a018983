import Foundation
import HarpNN
import HarpTensor

/// Asura's Harp (alephic/asura `harp/asura/asura.py`, `ASURA`): an autoencoder over spectral frames
/// whose decoders are amortised flow models.
///
/// - a token encoder (a down-only U-Net) turns each group of `frames_per_token` magnitude frames
///   into a token;
/// - the sequence encoder (bidirectional) summarises a window of tokens into the latent `c_enc`;
///   the sequence predictor (causal) predicts, from past tokens, the context `c_ctx` of each frame;
/// - three pairs of U-Net decoders (magnitude `m`, phase `phi`) share that conditioning: `v`
///   (velocity at time t), `u` (the jump from t to r, both directions) and `y` (the single 0 → 1
///   jump); small MLPs turn times and latents into their conditioning, and `w_net` gives the
///   adaptive weight of the velocity loss.
///
/// State keys are the reference's (`decoder_u_m.conv_layers_in.0.proj_in_d.weight`, …), without
/// the `_ema` copies, which Harp keeps in its optimiser's moving average instead.
public final class AsuraModel: Module {
    @Keyed("seq_predictor") public var sequencePredictor: SequenceTransformer
    @Keyed("seq_encoder") public var sequenceEncoder: SequenceTransformer
    @Keyed("decoder_v_m") public var velocityMagnitude: UNet
    @Keyed("decoder_u_m") public var jumpMagnitude: UNet
    @Keyed("decoder_y_m") public var oneStepMagnitude: UNet
    @Keyed("decoder_v_phi") public var velocityPhase: UNet
    @Keyed("decoder_u_phi") public var jumpPhase: UNet
    @Keyed("decoder_y_phi") public var oneStepPhase: UNet
    @Keyed("c_v_net") public var velocityConditioning: ConditioningMLP
    @Keyed("c_u_net") public var jumpConditioning: ConditioningMLP
    @Keyed("c_y_net") public var oneStepConditioning: ConditioningMLP
    @Keyed("w_net") public var lossWeight: ConditioningMLP
    @Keyed("token_encoder") public var tokenEncoder: UNet
    @Ignored public var config: AsuraModelConfiguration
    @Ignored public var framing: SpectralFraming

    public init(_ config: AsuraModelConfiguration, generator: inout RandomGenerator) {
        let token = config.tokenWidth, bins = config.frameBins, signal = config.signalChannels
        let tokenOutputs = token * (1 + config.predictorExtraFuture) * config.framesPerToken
        _sequencePredictor.wrappedValue = SequenceTransformer(config.sequencePredictor, inputWidth: token, outputWidth: tokenOutputs,
                                                positionRange: config.lengthTokens, isCausal: true, generator: &generator)
        _sequenceEncoder.wrappedValue = SequenceTransformer(config.sequenceEncoder, inputWidth: token, outputWidth: token,
                                              positionRange: config.encoderLengthTokens, isCausal: false,
                                              generator: &generator)
        let window = 1 + config.lookbackFrames
        func decoder(_ unet: UNetConfiguration, inputChannels: Int, outputChannels: Int) -> UNet {
            UNet(unet, inputChannels: inputChannels, outputChannels: outputChannels, auxWidth: token, bins: bins,
                 bottleneckChannels: unet.bottleneckChannels, downOnly: false, generator: &generator)
        }
        let magnitudeIn = window * signal, phaseIn = window * (config.phaseChannels + signal)
        _velocityMagnitude.wrappedValue = decoder(config.decoderMagnitude, inputChannels: magnitudeIn, outputChannels: signal)
        _jumpMagnitude.wrappedValue = decoder(config.decoderMagnitude, inputChannels: magnitudeIn, outputChannels: signal)
        _oneStepMagnitude.wrappedValue = decoder(config.decoderMagnitude, inputChannels: magnitudeIn, outputChannels: signal)
        _velocityPhase.wrappedValue = decoder(config.decoderPhase, inputChannels: phaseIn, outputChannels: config.phaseChannels)
        _jumpPhase.wrappedValue = decoder(config.decoderPhase, inputChannels: phaseIn, outputChannels: config.phaseChannels)
        _oneStepPhase.wrappedValue = decoder(config.decoderPhase, inputChannels: phaseIn, outputChannels: config.phaseChannels)
        let time = config.timeEncodingWidth
        _velocityConditioning.wrappedValue = ConditioningMLP(inputWidth: time + 2 * token, hiddenWidth: 2 * token, layerCount: 2,
                                               outputWidth: token, activation: .gated(.silu), generator: &generator)
        _jumpConditioning.wrappedValue = ConditioningMLP(inputWidth: 2 * time + 2 * token, hiddenWidth: 2 * token, layerCount: 2,
                                           outputWidth: token, activation: .gated(.silu), generator: &generator)
        _oneStepConditioning.wrappedValue = ConditioningMLP(inputWidth: 2 * token, hiddenWidth: 2 * token, layerCount: 2,
                                              outputWidth: token, activation: .gated(.silu), generator: &generator)
        _lossWeight.wrappedValue = ConditioningMLP(inputWidth: time, hiddenWidth: time, layerCount: 2, outputWidth: 1,
                                     activation: .silu, generator: &generator)
        _tokenEncoder.wrappedValue = UNet(config.tokenEncoder, inputChannels: signal * config.framesPerToken, outputChannels: 0,
                            auxWidth: nil, bins: bins, bottleneckChannels: token / config.tokenBottleneckBins,
                            downOnly: true, generator: &generator)
        self.config = config
        framing = SpectralFraming(frameSamples: config.frameSamples, hop: config.frameHop)
        super.init()
    }

    /// The parameters clipped together in the reference (`grad_clip_groups`): all but `w_net`'s.
    public var mainParameters: [Tensor] {
        let weightParameters = Set(lossWeight.parameters().map(ObjectIdentifier.init))
        return parameters().filter { !weightParameters.contains(ObjectIdentifier($0)) }
    }

    // MARK: Conditioning (ref: asura.py get_c_v, get_c_u, get_c_y, get_w)

    func timeEncoding(_ t: [Float], maxRange: Float) -> Tensor {
        SinusoidEncoding.encode(t.map { $0 * config.timeScale }, width: config.timeEncodingWidth, maxRange: maxRange)
    }

    /// Conditioning of the velocity decoders at times `t`.
    func velocityCondition(t: [Float], latent: Tensor, context: Tensor, trace: AsuraTrace?) -> Tensor {
        let input = Tensor.concatenated([timeEncoding(t, maxRange: config.timeScale), latent, context], alongAxis: 1)
        return traced("c_v_net", input, nil, trace) { velocityConditioning($0) }
    }

    /// Conditioning of the jump decoders from `t` to `r`.
    func jumpCondition(t: [Float], r: [Float], latent: Tensor, context: Tensor, trace: AsuraTrace?) -> Tensor {
        let delta = zip(r, t).map { $0 - $1 }
        let input = Tensor.concatenated([
            timeEncoding(t, maxRange: config.timeScale),
            timeEncoding(delta, maxRange: 2 * config.timeScale), latent, context,
        ], alongAxis: 1)
        return traced("c_u_net", input, nil, trace) { jumpConditioning($0) }
    }

    /// Conditioning of the one-step decoders.
    func oneStepCondition(latent: Tensor, context: Tensor, trace: AsuraTrace?) -> Tensor {
        traced("c_y_net", Tensor.concatenated([latent, context], alongAxis: 1), nil, trace) { oneStepConditioning($0) }
    }

    /// The log-weight of the velocity loss at times `t`, at most `adapt_w_max`: `[count]`.
    func adaptiveWeight(t: [Float], trace: AsuraTrace?) -> Tensor {
        let encoding = SinusoidEncoding.encode(t.map { $0 * 1000 }, width: config.timeEncodingWidth, maxRange: 1000)
        return traced("w_net", encoding, nil, trace) { lossWeight($0) }
            .reshaped([t.count]).clamped(max: config.adaptiveWeightMax)
    }

    /// Runs `body` on `input`, recording the call in `trace`.
    func traced(_ name: String, _ input: Tensor, _ aux: Tensor?, _ trace: AsuraTrace?, _ body: (Tensor) -> Tensor) -> Tensor {
        let output = body(input)
        trace?.record(name, input: input, aux: aux, output: output)
        return output
    }

    /// A decoder call, recorded in `trace`.
    func decode(_ name: String, _ decoder: UNet, _ input: Tensor, aux: Tensor, trace: AsuraTrace?) -> Tensor {
        traced(name, input, aux, trace) { decoder($0, aux: aux) }
    }

    // MARK: Tokens (ref: asura.py frames_to_tokens, encode)

    /// Tokens of magnitude frames `[batch, frames, bins, channels]` (frames a multiple of
    /// `frames_per_token`) → `[batch, frames / frames_per_token, d_token]`.
    public func tokens(ofMagnitudeFrames frames: Tensor, trace: AsuraTrace? = nil) -> Tensor {
        let (batch, count, bins, channels) = (frames.shape[0], frames.shape[1], frames.shape[2], frames.shape[3])
        let perToken = config.framesPerToken
        precondition(count % perToken == 0, "tokens: \(count) frames are not whole tokens of \(perToken)")
        let grouped = frames.reshaped([batch, count / perToken, perToken, bins, channels])
            .permuted([0, 1, 3, 2, 4]).reshaped([batch * count / perToken, bins, perToken * channels])
        return traced("token_encoder", grouped, nil, trace) { tokenEncoder($0) }
            .reshaped([batch, count / perToken, config.tokenWidth])
    }
}
