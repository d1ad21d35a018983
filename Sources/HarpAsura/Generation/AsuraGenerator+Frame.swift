import Foundation
import HarpTensor

extension AsuraGenerator {
    /// Decodes the next frame; returns its phase frame `[1, bins, 2·channels]` (ref: asura.py
    /// `sample_single_frame`, and the body of `sample`'s loop).
    func nextFrame(latent: Tensor) -> Tensor {
        let (fpt, bins, channels) = (config.framesPerToken, config.frameBins, config.signalChannels)
        if frameIndex == 0 { drawLookback() }
        if frameIndex % fpt == 0 { context = predictedContext() }
        let frameContext = context.sliced(alongAxis: 0, start: frameIndex % fpt, end: frameIndex % fpt + 1)
        var magnitude = draws.prior([1, bins, channels], isMagnitude: true)
        var phase = draws.prior([1, bins, 2 * channels], isMagnitude: false)
        let (conditions, magnitudeDecoder, phaseDecoder) = decoders(latent: latent, context: frameContext)
        let stepSize = 1 / Float(options.steps)

        for condition in conditions {
            let input = Tensor.concatenated(previousMagnitude + [magnitude], alongAxis: 2)
            magnitude = magnitude + stepSize * magnitudeDecoder(input, aux: condition)
        }
        let generatedMagnitude = magnitude
        magnitude = withContextNoise(magnitude, isMagnitude: true)
        for condition in conditions {
            let input = Tensor.concatenated(previousMagnitude + [magnitude] + previousPhase + [phase], alongAxis: 2)
            phase = phase + stepSize * phaseDecoder(input, aux: condition)
            if options.decoding == .velocity { phase = Self.clippedToUnitDisc(phase) }
        }
        let generatedPhase = Self.rescaled(phase, toMagnitudesOf: generatedMagnitude)
        phase = withContextNoise(generatedPhase, isMagnitude: false)

        previousMagnitude = Array(previousMagnitude.dropFirst()) + [magnitude]
        previousPhase = Array(previousPhase.dropFirst()) + [phase]
        if (frameIndex + 1) % fpt == 0 { appendToken() }
        frameIndex += 1
        return generatedPhase
    }

    /// The conditioning of each step (`[1, d_token]` each) and the decoders that use it.
    func decoders(latent: Tensor, context: Tensor) -> (conditions: [Tensor], magnitude: UNet, phase: UNet) {
        let steps = options.steps
        if steps == 1 {
            return ([model.oneStepCondition(latent: latent, context: context, trace: nil)],
                    model.oneStepMagnitude, model.oneStepPhase)
        }
        let t = (0..<steps).map { Float($0) / Float(steps) }
        let latents = latent.expanded(to: [steps, config.tokenWidth]), contexts = context.expanded(to: [steps, config.tokenWidth])
        let all: Tensor, magnitude: UNet, phase: UNet
        switch options.decoding {
        case .jumps:
            let r = (1...steps).map { Float($0) / Float(steps) }
            all = model.jumpCondition(t: t, r: r, latent: latents, context: contexts, trace: nil)
            (magnitude, phase) = (model.jumpMagnitude, model.jumpPhase)
        case .velocity:
            all = model.velocityCondition(t: t, latent: latents, context: contexts, trace: nil)
            (magnitude, phase) = (model.velocityMagnitude, model.velocityPhase)
        }
        return ((0..<steps).map { all.sliced(alongAxis: 0, start: $0, end: $0 + 1) }, magnitude, phase)
    }

    /// `(1 − eps)·x + eps·prior` (nothing drawn when eps is 0, as in the reference).
    func withContextNoise(_ x: Tensor, isMagnitude: Bool) -> Tensor {
        let eps = options.contextNoise
        guard eps > 0 else { return x }
        return (1 - eps) * x + eps * draws.prior(x.shape, isMagnitude: isMagnitude)
    }

    /// The predictor's context for the frames of the next token, from the tokens so far:
    /// `[frames_per_token, d_token]` (the first of its `1 + extra` futures).
    func predictedContext() -> Tensor {
        let width = config.tokenWidth
        let input = tokens.isEmpty ? Tensor.zeros([1, 0, width]) : Tensor.concatenated(tokens, alongAxis: 1)
        let output = model.sequencePredictor(input)
        let last = output.sliced(alongAxis: 1, start: output.shape[1] - 1)
        return last.reshaped([output.shape[2]]).sliced(alongAxis: 0, start: 0, end: config.framesPerToken * width)
            .reshaped([config.framesPerToken, width])
    }

    /// The token of the last `frames_per_token` context frames joins the predictor's input, which
    /// keeps the last `length_tokens − 1` (the window the model was trained with).
    func appendToken() {
        let fpt = config.framesPerToken
        let frames = Tensor.concatenated(previousMagnitude.suffix(fpt).map { $0.unsqueezed(axis: 1) }, alongAxis: 1)
        tokens.append(model.tokens(ofMagnitudeFrames: frames))
        if tokens.count > config.lengthTokens - 1 { tokens.removeFirst(tokens.count - (config.lengthTokens - 1)) }
    }

    /// Each complex pair of `phase` given the magnitude `|m|` of the matching magnitude channel
    /// (ref: asura.py "Synchronize predicted magnitudes", `rescale_complex`).
    static func rescaled(_ phase: Tensor, toMagnitudesOf magnitude: Tensor) -> Tensor {
        let m = magnitude.scalars
        return Tensor(shape: phase.shape) { out in
            phase.withUnsafeBufferPointer { p in
                for i in 0..<m.count {
                    let (re, im) = (p[2 * i], p[2 * i + 1])
                    let size = (re * re + im * im).squareRoot()
                    let scale = size == 0 ? 1 : abs(m[i]) / size
                    out[2 * i] = re * scale
                    out[2 * i + 1] = im * scale
                }
            }
        }
    }

    /// Complex pairs longer than 1 scaled back to the unit circle (ref: asura.py `clip_frames`).
    static func clippedToUnitDisc(_ phase: Tensor) -> Tensor {
        Tensor(shape: phase.shape) { out in
            phase.withUnsafeBufferPointer { p in
                for i in 0..<(p.count / 2) {
                    let (re, im) = (p[2 * i], p[2 * i + 1])
                    let scale = 1 / max((re * re + im * im).squareRoot(), 1)
                    out[2 * i] = re * scale
                    out[2 * i + 1] = im * scale
                }
            }
        }
    }
}
