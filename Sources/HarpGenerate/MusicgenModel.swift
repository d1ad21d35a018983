import Foundation
import HarpCodec
import HarpTensor
import HarpText

/// MusicGen (`transformers` `MusicgenForConditionalGeneration`): a T5 text encoder, a projection
/// to the decoder's width, the decoder LM over codec tokens, and the audio codec that turns the
/// tokens into sound. Harp's own generator is the same model with MiniLM's pooled sentence
/// embedding in place of T5 and the bundled codec in place of EnCodec 32 kHz.
///
/// ```swift
/// let model = try MusicgenModel.load(folder: URL(fileURLWithPath: "musicgen-small"))
/// let result = try model.generate(ids: ids, mask: mask, options: GenerationOptions(steps: 256))
/// ```
public final class MusicgenModel {
    public let configuration: MusicgenConfiguration
    public let generationConfiguration: GenerationConfiguration
    public let text: TextConditioner
    /// `enc_to_dec_proj`, present when the text and decoder widths differ.
    let textProjection: Projection?
    public let decoder: MusicgenDecoder
    /// The codec that decodes generated tokens, or `nil` when none was loaded (tokens only).
    public var audioCodec: (any NeuralCodec)?

    init(configuration: MusicgenConfiguration, generationConfiguration: GenerationConfiguration,
         text: TextConditioner, textProjection: Projection?, decoder: MusicgenDecoder) {
        self.configuration = configuration
        self.generationConfiguration = generationConfiguration
        self.text = text
        self.textProjection = textProjection
        self.decoder = decoder
    }

    /// The T5 encoder of a `transformers` folder (`nil` for a Harp generator).
    public var textEncoder: T5Encoder? {
        if case .t5(let encoder) = text { return encoder }
        return nil
    }

    /// The MiniLM sentence encoder of a Harp generator (`nil` for a `transformers` folder); its
    /// tokenizer makes the ids `generate` takes.
    public var sentenceEncoder: SentenceEncoder? {
        if case .sentence(let encoder) = text { return encoder }
        return nil
    }

    /// The token every sequence starts with (`decoder_start_token_id`).
    public var startTokenID: Int32 {
        Int32(generationConfiguration.decoderStartTokenID ?? configuration.decoder.bosTokenID)
    }

    /// The token the delay pattern fills in (`pad_token_id`).
    public var padTokenID: Int32 {
        Int32(generationConfiguration.padTokenID ?? configuration.decoder.padTokenID)
    }

    /// Checks text token ids `[batch, length]` and their mask.
    public func validate(ids: IntTensor, mask: IntTensor) throws(GenerateError) {
        guard ids.rank == 2, ids.shape[0] > 0, ids.shape[1] > 0 else {
            throw .badInput("token ids of shape \(ids.shape): expected [prompts, tokens] with at least one token")
        }
        guard mask.shape == ids.shape else { throw .badInput("the attention mask \(mask.shape) differs from the ids \(ids.shape)") }
        let vocab = text.vocabularySize
        if let range = ids.range, range.lowerBound < 0 || Int(range.upperBound) >= vocab {
            throw .badInput("token id \(range.lowerBound < 0 ? range.lowerBound : range.upperBound) is outside the text vocabulary (0..<\(vocab))")
        }
        guard mask.scalars.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw .badInput("the attention mask holds values other than 0 and 1") }
    }

    /// The decoder's conditioning: `enc_to_dec_proj(states) · mask`, `[batch, length, hidden]`, and
    /// its mask `[batch, length]` (the text states and mask of `TextConditioner.states`).
    public func conditioning(ids: IntTensor, mask: IntTensor) -> (states: Tensor, mask: IntTensor) {
        let (states, stateMask) = text.states(ids: ids, mask: mask)
        let projected = textProjection.map { $0(states) } ?? states
        let weights = Tensor(shape: [stateMask.shape[0], stateMask.shape[1], 1], values: stateMask.scalars.map { Float($0) })
        return (projected * weights, stateMask)
    }

    /// Teacher-forced logits `[batch·codebooks, steps, vocab]` for decoder tokens
    /// `[batch·codebooks, steps]` (the reference's `decoder_input_ids` layout) given the text.
    public func logits(ids: IntTensor, mask: IntTensor, decoderTokens: IntTensor) -> Tensor {
        let codebooks = configuration.decoder.codebookCount
        let (rows, steps) = (decoderTokens.shape[0], decoderTokens.shape[1])
        let batch = rows / codebooks
        let (states, stateMask) = conditioning(ids: ids, mask: mask)
        let memory = decoder.memory(conditioning: states, mask: stateMask)
        let cache = decoder.makeCache(batch: batch, capacity: steps)
        let logits = decoder(decoderTokens.reshaped([batch, codebooks, steps]), cache: cache, memory: memory)
        return logits.reshaped([rows, steps, configuration.decoder.vocabSize])
    }

    /// The longest generation the model can hold, in decoder steps (its position table).
    public var maximumSteps: Int { configuration.decoder.maximumPositionCount - 1 }

    /// Code frames per second of audio (50 for EnCodec 32 kHz).
    public var frameRate: Double { configuration.frameRate }

    /// The decoder steps that produce `seconds` of audio (`frames + codebooks − 1`).
    public func steps(forDuration seconds: Double) -> Int {
        Int((seconds * frameRate).rounded()) + configuration.decoder.codebookCount - 1
    }
}
