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
    /// With `prompt` (audio codes `[batch or 1, codebooks, frames]`, e.g. `encodePrompt(_:)` of a
    /// clip) the generation continues that audio: the codes enter the sequence through the delay
    /// pattern, are run through the decoder in one call, and `options.steps` new steps follow, as
    /// `transformers`' `generate(input_values:)` and audiocraft's `generate_continuation` do. The
    /// result then starts with the prompt's frames.
    ///
    /// - Parameters:
    ///   - progress: called after each step with the number of steps done.
    ///   - isCancelled: polled between steps; when it returns `true` generation stops with
    ///     `GenerateError.cancelled`.
    public func generate(ids: IntTensor, mask: IntTensor, prompt: IntTensor? = nil, options: GenerationOptions,
                         progress: (Int) -> Void = { _ in },
                         isCancelled: () -> Bool = { false }) throws(GenerateError) -> GenerationResult {
        try validate(ids: ids, mask: mask)
        try options.sampling?.validate()
        let codebooks = configuration.decoder.codebookCount
        let promptFrames = try validate(prompt: prompt, batch: ids.shape[0])
        guard promptFrames + options.steps >= 2 * codebooks - 2, options.steps >= 1 else {
            throw .badOption("at least \(max(1, 2 * codebooks - 2 - promptFrames)) decoder steps are needed, got \(options.steps)")
        }
        guard promptFrames + options.steps <= maximumSteps else {
            throw .badOption("\(promptFrames) prompt frames and \(options.steps) decoder steps exceed the model's limit of "
                             + "\(maximumSteps) positions (\(maximumSteps - codebooks + 1) frames)")
        }
        return try withoutGradients {
            run(ids: ids, mask: mask, prompt: prompt, options: options, progress: progress, isCancelled: isCancelled)
        }.get()
    }

    /// The prompt's frame count after checking its shape and codes (0 without a prompt).
    private func validate(prompt: IntTensor?, batch: Int) throws(GenerateError) -> Int {
        guard let prompt else { return 0 }
        let codebooks = configuration.decoder.codebookCount
        guard prompt.rank == 3, prompt.shape[0] == 1 || prompt.shape[0] == batch, prompt.shape[1] == codebooks,
              prompt.shape[2] > 0 else {
            throw .badInput("prompt codes of shape \(prompt.shape); expected [1 or \(batch), \(codebooks), frames]")
        }
        if let range = prompt.range, range.lowerBound < 0 || Int(range.upperBound) >= configuration.decoder.vocabSize {
            throw .badInput("prompt code outside the codebooks (0..<\(configuration.decoder.vocabSize))")
        }
        return prompt.shape[2]
    }

    private func run(ids: IntTensor, mask: IntTensor, prompt: IntTensor?, options: GenerationOptions,
                     progress: (Int) -> Void, isCancelled: () -> Bool) -> Result<GenerationResult, GenerateError> {
        let c = configuration.decoder
        let (batch, codebooks, vocab) = (ids.shape[0], c.codebookCount, c.vocabSize)
        let guided = options.usesGuidance
        let rows = guided ? 2 * batch : batch
        var (conditioning, crossMask) = self.conditioning(ids: ids, mask: mask)
        if guided {
            conditioning = Tensor.concatenated([conditioning, Tensor.zeros(conditioning.shape)], alongAxis: 0)
            crossMask = IntTensor(shape: [rows, crossMask.shape[1]],
                                  scalars: crossMask.scalars + [Int32](repeating: 0, count: crossMask.count))
        }
        let memory = decoder.memory(conditioning: conditioning, mask: crossMask)
        let promptFrames = prompt?.shape[2] ?? 0
        let pattern = DelayPattern(codebookCount: codebooks, length: promptFrames + options.steps + 1, padTokenID: padTokenID)
        let cache = decoder.makeCache(batch: rows, capacity: pattern.length)
        var sequences = IntTensor(repeating: startTokenID, shape: [batch, codebooks, pattern.length])
        // Codebook k holds prompt frame f at position k + 1 + f; the pattern's pads win where both apply.
        func fixedToken(_ b: Int, _ k: Int, _ t: Int) -> Int32? {
            if let token = pattern.fixedToken(codebook: k, position: t) { return token }
            guard let prompt, t - k - 1 < promptFrames else { return nil }
            return prompt[prompt.shape[0] == 1 ? 0 : b, k, t - k - 1]
        }
        for b in 0..<batch {
            for k in 0..<codebooks {
                for t in 1..<pattern.length { if let token = fixedToken(b, k, t) { sequences[b, k, t] = token } }
            }
        }
        var sampler = TokenSampler(options: options.sampling)
        var scores: [Tensor] = []
        for step in 0..<options.steps {
            if isCancelled() { return .failure(.cancelled) }
            // The first call runs the start token and the prompt's positions together.
            let (first, count) = step == 0 ? (0, promptFrames + 1) : (promptFrames + step, 1)
            var input = IntTensor(repeating: 0, shape: [rows, codebooks, count])
            for row in 0..<rows {
                for k in 0..<codebooks {
                    for i in 0..<count { input[row, k, i] = sequences[row % batch, k, first + i] }
                }
            }
            var logits = decoder(input, cache: cache, memory: memory)
            if count > 1 { logits = logits.sliced(alongAxis: 2, start: count - 1, end: count) }
            logits = logits.reshaped([rows * codebooks, vocab])
            if guided, let scale = options.guidanceScale {
                let conditional = logits.sliced(alongAxis: 0, start: 0, end: batch * codebooks)
                let unconditional = logits.sliced(alongAxis: 0, start: batch * codebooks)
                logits = unconditional + (conditional - unconditional) * scale
            }
            if options.keepScores { scores.append(logits) }
            let chosen = sampler.tokens(from: logits)
            let position = first + count
            for b in 0..<batch {
                for k in 0..<codebooks {
                    sequences[b, k, position] = fixedToken(b, k, position) ?? chosen[b * codebooks + k]
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
