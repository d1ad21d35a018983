import HarpTensor

/// The frames the decoders train on, with their conditioning (ref: asura.py `forward`, up to the
/// flattening of frames into the decoders' batch).
struct DecoderBatch {
    /// Noised context magnitude frames `[n, bins, channels]` (what the phase decoder sees of the
    /// current frame's magnitude).
    var contextMagnitude: Tensor
    /// Clean targets `[n, bins, channels]` and `[n, bins, 2·channels]`.
    var targetMagnitude: Tensor
    var targetPhase: Tensor
    /// The `lookback` previous noised frames side by side, oldest first: `[n, bins, lookback·…]`.
    var previousMagnitude: Tensor
    var previousPhase: Tensor
    /// The latent of the example and the predicted context of the frame: `[n, d_token]`.
    var latent: Tensor
    var context: Tensor
    var count: Int { targetMagnitude.shape[0] }
}

extension AsuraModel {
    /// Frames, noised context, tokens and conditioning of a batch `x [batch, example samples,
    /// channels]`, gathered at the frames the decoders train on.
    func decoderBatch(_ x: Tensor, draws: AsuraDrawSource, trace: AsuraTrace?) -> DecoderBatch {
        let batch = x.shape[0]
        let clean = framing.frames(of: x.sliced(alongAxis: 1, start: 0, end: config.lengthSamples))
        trace?.record("frames.0.m", clean.magnitude)
        trace?.record("frames.0.phi", clean.phase)
        let frameCount = clean.magnitude.shape[1]
        let noise = draws.sample(config.contextNoiseGlobal, role: .contextNoiseGlobal, shape: [batch, 1, 1, 1])
            * draws.sample(config.contextNoiseFrame, role: .contextNoiseFrame, shape: [batch, frameCount, 1, 1])
        let noisedMagnitude = (1 - noise) * clean.magnitude + noise * draws.prior(clean.magnitude.shape, isMagnitude: true)
        let noisedPhase = (1 - noise) * clean.phase + noise * draws.prior(clean.phase.shape, isMagnitude: false)
        let (previousMagnitude, previousPhase) = lookback(noisedMagnitude, noisedPhase, draws: draws)

        let tokens = encoderTokens(x, noisedMagnitude: noisedMagnitude, draws: draws, trace: trace)
        let encoderInput = tokens.sliced(alongAxis: 1, start: config.lengthTokens - 1)
        let latent = traced("seq_encoder", encoderInput, nil, trace) { sequenceEncoder($0) }
            .sliced(alongAxis: 1, start: 0, end: 1).reshaped([batch, config.tokenWidth])
        let predictorInput = tokens.sliced(alongAxis: 1, start: 0, end: config.lengthTokens - 1)
        let predicted = traced("seq_predictor", predictorInput, nil, trace) { sequencePredictor($0) }
        let context = chosenFuture(predicted, draws: draws)
            .reshaped([batch, config.lengthFrames, config.tokenWidth])

        let frames = config.predictedFrames == -1
            ? Array(repeating: Array(0..<frameCount), count: batch)
            : draws.subsets(of: config.lengthFrames, size: config.predictedFrames, rows: batch)
        func gathered(_ t: Tensor) -> Tensor {
            let rows = (0..<batch).map { b in t.sliced(alongAxis: 0, start: b, end: b + 1).gathered(indices: frames[b], alongAxis: 1) }
            let joined = Tensor.concatenated(rows, alongAxis: 0)
            return joined.reshaped([joined.shape[0] * joined.shape[1]] + Array(joined.shape.dropFirst(2)))
        }
        let perRow = frames[0].count
        return DecoderBatch(
            contextMagnitude: gathered(noisedMagnitude), targetMagnitude: gathered(clean.magnitude),
            targetPhase: gathered(clean.phase), previousMagnitude: gathered(previousMagnitude),
            previousPhase: gathered(previousPhase),
            latent: latent.unsqueezed(axis: 1).expanded(to: [batch, perRow, config.tokenWidth])
                .reshaped([batch * perRow, config.tokenWidth]),
            context: gathered(context))
    }

    /// The previous `lookback` frames of each frame side by side on the last axis, oldest first;
    /// before the first frame, prior noise (ref: the `roll` loop of asura.py `forward`, which draws
    /// a magnitude and a phase frame of noise per step).
    func lookback(_ magnitude: Tensor, _ phase: Tensor, draws: AsuraDrawSource) -> (magnitude: Tensor, phase: Tensor) {
        func rolled(_ frames: Tensor, isMagnitude: Bool) -> Tensor {
            let fresh = draws.prior([frames.shape[0]] + Array(frames.shape.dropFirst(2)), isMagnitude: isMagnitude)
            return Tensor.concatenated([fresh.unsqueezed(axis: 1),
                                        frames.sliced(alongAxis: 1, start: 0, end: frames.shape[1] - 1)], alongAxis: 1)
        }
        var (shiftedM, shiftedPhi) = (magnitude, phase)
        var (allM, allPhi): ([Tensor], [Tensor]) = ([], [])
        for _ in 0..<config.lookbackFrames {
            shiftedM = rolled(shiftedM, isMagnitude: true)
            shiftedPhi = rolled(shiftedPhi, isMagnitude: false)
            allM.append(shiftedM)
            allPhi.append(shiftedPhi)
        }
        return (Tensor.concatenated(allM.reversed(), alongAxis: 3), Tensor.concatenated(allPhi.reversed(), alongAxis: 3))
    }

    /// Tokens of the noised frames before the last token, then of the encoder's window taken at a
    /// random offset of the clean signal: `[batch, length_tokens − 1 + seq_enc_length_tokens, d_token]`.
    func encoderTokens(_ x: Tensor, noisedMagnitude: Tensor, draws: AsuraDrawSource, trace: AsuraTrace?) -> Tensor {
        let batch = x.shape[0]
        let offsets = draws.integers(below: config.lengthSamples, shape: [batch, 1])
        let windows = Tensor.concatenated((0..<batch).map { b in
            x.sliced(alongAxis: 0, start: b, end: b + 1)
                .sliced(alongAxis: 1, start: offsets[b], end: offsets[b] + config.encoderLengthSamples)
        }, alongAxis: 0)
        let encoderFrames = framing.frames(of: windows).magnitude
        trace?.record("frames.1.m", encoderFrames)
        let past = noisedMagnitude.sliced(alongAxis: 1, start: 0, end: config.lengthFrames - config.framesPerToken)
        return tokens(ofMagnitudeFrames: Tensor.concatenated([past, encoderFrames], alongAxis: 1), trace: trace)
    }

    /// The predictor guesses `1 + extra` futures per token; the future `i` steps ahead is shifted
    /// `i` tokens later (its first tokens filled from the previous shift), and each token takes one
    /// at random (ref: asura.py `forward`, `seq_pred_extra_future`). `[batch, tokens, fpt·d_token]`.
    func chosenFuture(_ predicted: Tensor, draws: AsuraDrawSource) -> Tensor {
        let extra = config.predictorExtraFuture
        guard extra > 0 else { return predicted }
        let (batch, tokens) = (predicted.shape[0], predicted.shape[1])
        let width = predicted.shape[2] / (1 + extra)
        let alternatives = predicted.split(sizes: Array(repeating: width, count: 1 + extra), alongAxis: 2)
        var shifted = [alternatives[0]]
        for i in 1...extra {
            shifted.append(Tensor.concatenated([
                shifted[i - 1].sliced(alongAxis: 1, start: 0, end: i),
                alternatives[i].sliced(alongAxis: 1, start: 0, end: tokens - i),
            ], alongAxis: 1))
        }
        let choice = draws.integers(below: 1 + extra, shape: [1, batch, tokens, 1])
        var chosen: Tensor? = nil
        for (i, candidate) in shifted.enumerated() {
            let mask = Tensor(shape: [batch, tokens, 1], values: choice.map { $0 == i ? 1 : 0 })
            chosen = chosen.map { $0 + candidate * mask } ?? candidate * mask
        }
        return chosen!
    }
}
