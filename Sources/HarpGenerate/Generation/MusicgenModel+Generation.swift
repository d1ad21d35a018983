import HarpCodec
import HarpTensor

/// What one generation call produced.
public struct GenerationResult {
    /// Audio codes `[batch, codebooks, frames]` with the delay pattern removed: what the codec decodes.
    public var codes: IntTensor
    /// Each step's scores (logits after guidance), `[steps, batch·codebooks, vocab]`, when asked for.
    public var scores: Tensor?
}

extension MusicgenModel {
    /// Generates audio codes for text token ids `[batch, length]` with `mask` (1 = token).
    ///
    /// Each step runs the decoder on the newest position only (the cache holds the past), applies
    /// guidance (`uncond + g·(cond − uncond)`, the unconditional half having zero text states and
    /// a zero mask), chooses the tokens and overwrites them where the delay pattern fixes a pad.
    ///
    /// - Parameters:
    ///   - progress: called after each step with the number of steps done.
    ///   - isCancelled: polled between steps; when it returns `true` generation stops with
    ///     `GenerateError.cancelled`.
    public func generate(ids: IntTensor, mask: IntTensor, options: GenerationOptions,
                         progress: (Int) -> Void = { _ in },
                         isCancelled: () -> Bool = { false }) throws(GenerateError) -> GenerationResult {
        try validate(ids: ids, mask: mask)
        try options.sampling?.validate()
        let codebooks = configuration.decoder.codebookCount
        guard options.steps >= 2 * codebooks - 2 else {
            throw .badOption("at least \(2 * codebooks - 2) decoder steps are needed, got \(options.steps)")
        }
        guard options.steps <= maximumSteps else {
            throw .badOption("\(options.steps) decoder steps exceed the model's limit of \(maximumSteps) "
                             + "(\(maximumSteps - codebooks + 1) frames)")
        }
        return try withoutGradients {
            run(ids: ids, mask: mask, options: options, progress: progress, isCancelled: isCancelled)
        }.get()
    }

    private func run(ids: IntTensor, mask: IntTensor, options: GenerationOptions, progress: (Int) -> Void,
                     isCancelled: () -> Bool) -> Result<GenerationResult, GenerateError> {
        let c = configuration.decoder
        let (batch, codebooks, vocab) = (ids.shape[0], c.codebookCount, c.vocabSize)
        let guided = options.usesGuidance
        let rows = guided ? 2 * batch : batch
        var conditioning = self.conditioning(ids: ids, mask: mask)
        var crossMask = mask
        if guided {
            conditioning = Tensor.concatenated([conditioning, Tensor.zeros(conditioning.shape)], alongAxis: 0)
            crossMask = IntTensor(shape: [rows, mask.shape[1]], scalars: mask.scalars + [Int32](repeating: 0, count: mask.count))
        }
        let memory = decoder.memory(conditioning: conditioning, mask: crossMask)
        let pattern = DelayPattern(codebookCount: codebooks, length: options.steps + 1, padTokenID: padTokenID)
        let cache = decoder.makeCache(batch: rows, capacity: pattern.length)
        var sequences = IntTensor(repeating: startTokenID, shape: [batch, codebooks, pattern.length])
        var sampler = TokenSampler(options: options.sampling)
        var scores: [Tensor] = []
        for step in 0..<options.steps {
            if isCancelled() { return .failure(.cancelled) }
            var input = IntTensor(repeating: 0, shape: [rows, codebooks, 1])
            for row in 0..<rows {
                for k in 0..<codebooks { input[row, k, 0] = sequences[row % batch, k, step] }
            }
            var logits = decoder(input, cache: cache, memory: memory).reshaped([rows * codebooks, vocab])
            if guided, let scale = options.guidanceScale {
                let conditional = logits.sliced(alongAxis: 0, start: 0, end: batch * codebooks)
                let unconditional = logits.sliced(alongAxis: 0, start: batch * codebooks)
                logits = unconditional + (conditional - unconditional) * scale
            }
            if options.keepScores { scores.append(logits) }
            let chosen = sampler.tokens(from: logits)
            for b in 0..<batch {
                for k in 0..<codebooks {
                    sequences[b, k, step + 1] = pattern.fixedToken(codebook: k, position: step + 1) ?? chosen[b * codebooks + k]
                }
            }
            progress(step + 1)
        }
        return .success(GenerationResult(codes: pattern.frames(of: sequences),
                                         scores: options.keepScores ? Tensor.stacked(scores) : nil))
    }

    /// Decodes generated codes `[batch, codebooks, frames]` with the model's codec: audio
    /// `[batch, channels, samples]`.
    public func decodeAudio(_ codes: IntTensor) throws(GenerateError) -> Tensor {
        guard let codec = audioCodec else { throw .codec("no audio codec is loaded") }
        let (batch, codebooks, frames) = (codes.shape[0], codes.shape[1], codes.shape[2])
        var pieces: [Tensor] = []
        for b in 0..<batch {
            let slice = IntTensor(shape: [1, codebooks, frames],
                                  scalars: Array(codes.scalars[(b * codebooks * frames)..<((b + 1) * codebooks * frames)]))
            do {
                let encoded = try EncodedAudio(codes: slice, for: codec)
                pieces.append(try codec.decode(encoded).unsqueezed(axis: 0))
            } catch {
                throw .codec("\(error)")
            }
        }
        return Tensor.concatenated(pieces, alongAxis: 0)
    }
}
