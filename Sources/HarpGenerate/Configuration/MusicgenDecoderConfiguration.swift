/// The MusicGen decoder's configuration: the `decoder` object of a MusicGen `config.json`
/// (`transformers` `MusicgenDecoderConfig`; keys as written there).
public struct MusicgenDecoderConfiguration: Codable, Sendable, Equatable {
    /// Entries per codebook (2048 for the published models); token `vocabSize` is BOS / pad.
    public var vocabSize: Int
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var feedForwardDimension: Int
    public var codebookCount: Int
    public var maximumPositionCount: Int
    public var audioChannelCount: Int
    public var padTokenID: Int
    public var bosTokenID: Int
    public var scaleEmbedding: Bool
    public var activationFunction: String

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size"
        case hiddenSize = "hidden_size"
        case layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads"
        case feedForwardDimension = "ffn_dim"
        case codebookCount = "num_codebooks"
        case maximumPositionCount = "max_position_embeddings"
        case audioChannelCount = "audio_channels"
        case padTokenID = "pad_token_id"
        case bosTokenID = "bos_token_id"
        case scaleEmbedding = "scale_embedding"
        case activationFunction = "activation_function"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        layerCount = try c.decode(Int.self, forKey: .layerCount)
        headCount = try c.decode(Int.self, forKey: .headCount)
        feedForwardDimension = try c.decode(Int.self, forKey: .feedForwardDimension)
        codebookCount = try c.decodeIfPresent(Int.self, forKey: .codebookCount) ?? 4
        maximumPositionCount = try c.decodeIfPresent(Int.self, forKey: .maximumPositionCount) ?? 2048
        audioChannelCount = try c.decodeIfPresent(Int.self, forKey: .audioChannelCount) ?? 1
        padTokenID = try c.decodeIfPresent(Int.self, forKey: .padTokenID) ?? vocabSize
        bosTokenID = try c.decodeIfPresent(Int.self, forKey: .bosTokenID) ?? vocabSize
        scaleEmbedding = try c.decodeIfPresent(Bool.self, forKey: .scaleEmbedding) ?? false
        activationFunction = try c.decodeIfPresent(String.self, forKey: .activationFunction) ?? "gelu"
    }

    /// The width of one attention head.
    public var headWidth: Int { hiddenSize / headCount }
}
