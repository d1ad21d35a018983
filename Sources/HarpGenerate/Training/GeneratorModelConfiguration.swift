/// The sizes of Harp's generator LM (a MusicGen decoder), what `harp train generator` builds.
/// Written into the exported `config.json`'s `decoder` object with `transformers`' keys.
public struct GeneratorModelConfiguration: Codable, Sendable, Equatable {
    /// Entries per codebook (the codec's codebook size); token `vocabSize` is BOS / pad.
    public var vocabSize = 1024
    public var hiddenSize = 256
    public var layerCount = 4
    public var headCount = 4
    public var feedForwardDimension = 1024
    /// Codebooks predicted (4 = harp-codec-24k at 3 kbit/s).
    public var codebookCount = 4
    /// Positions the exported model accepts (sinusoidal, so no table is stored).
    public var maximumPositionCount = 2048
    /// Width of the text states (MiniLM: 384).
    public var textWidth = 384

    public init() {}

    /// A configuration small enough for tests.
    public static func tiny(vocabSize: Int = 16, textWidth: Int = 8) -> GeneratorModelConfiguration {
        var c = GeneratorModelConfiguration()
        c.vocabSize = vocabSize
        c.hiddenSize = 16
        c.layerCount = 2
        c.headCount = 2
        c.feedForwardDimension = 32
        c.codebookCount = 4
        c.maximumPositionCount = 64
        c.textWidth = textWidth
        return c
    }

    /// The `decoder` object of a MusicGen `config.json` (`MusicgenDecoderConfig`).
    var decoderJSON: [String: Any] {
        ["model_type": "musicgen_decoder", "vocab_size": vocabSize, "hidden_size": hiddenSize,
         "num_hidden_layers": layerCount, "num_attention_heads": headCount, "ffn_dim": feedForwardDimension,
         "num_codebooks": codebookCount, "max_position_embeddings": maximumPositionCount, "audio_channels": 1,
         "pad_token_id": vocabSize, "bos_token_id": vocabSize, "scale_embedding": false,
         "activation_function": "gelu", "layerdrop": 0.0, "dropout": 0.0, "attention_dropout": 0.0,
         "activation_dropout": 0.0, "initializer_factor": 0.02, "tie_word_embeddings": false]
    }

    /// A size that cannot build a model, as one line.
    public func problem() -> String? {
        let sizes = [vocabSize, hiddenSize, layerCount, headCount, feedForwardDimension, codebookCount, maximumPositionCount, textWidth]
        if sizes.contains(where: { $0 <= 0 }) { return "a model size is zero or negative" }
        if hiddenSize % headCount != 0 { return "hidden size \(hiddenSize) is not divisible by \(headCount) heads" }
        if hiddenSize % 2 != 0 { return "hidden size \(hiddenSize) must be even (sinusoidal positions)" }
        return nil
    }
}
