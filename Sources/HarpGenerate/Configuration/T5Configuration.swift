/// The T5 text encoder's configuration: the `text_encoder` object of a MusicGen `config.json`
/// (`transformers` `T5Config`; keys as written there).
///
/// Only the encoder is used. t5-base (MusicGen's) has a ReLU feed-forward `wo(relu(wi(x)))`;
/// T5 v1.1 / Flan checkpoints use `"gated-gelu"` (`wo(gelu_tanh(wi_0(x)) · wi_1(x))`).
public struct T5Configuration: Codable, Sendable, Equatable {
    public var vocabSize: Int
    public var modelDimension: Int
    public var keyValueDimension: Int
    public var feedForwardDimension: Int
    public var layerCount: Int
    public var headCount: Int
    public var relativeAttentionBucketCount: Int
    public var relativeAttentionMaxDistance: Int
    public var layerNormEpsilon: Float
    /// `"relu"` or `"gated-gelu"` (T5 v1.1).
    public var feedForwardProjection: String

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size"
        case modelDimension = "d_model"
        case keyValueDimension = "d_kv"
        case feedForwardDimension = "d_ff"
        case layerCount = "num_layers"
        case headCount = "num_heads"
        case relativeAttentionBucketCount = "relative_attention_num_buckets"
        case relativeAttentionMaxDistance = "relative_attention_max_distance"
        case layerNormEpsilon = "layer_norm_epsilon"
        case feedForwardProjection = "feed_forward_proj"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        modelDimension = try c.decode(Int.self, forKey: .modelDimension)
        keyValueDimension = try c.decode(Int.self, forKey: .keyValueDimension)
        feedForwardDimension = try c.decode(Int.self, forKey: .feedForwardDimension)
        layerCount = try c.decode(Int.self, forKey: .layerCount)
        headCount = try c.decode(Int.self, forKey: .headCount)
        relativeAttentionBucketCount = try c.decodeIfPresent(Int.self, forKey: .relativeAttentionBucketCount) ?? 32
        relativeAttentionMaxDistance = try c.decodeIfPresent(Int.self, forKey: .relativeAttentionMaxDistance) ?? 128
        layerNormEpsilon = try c.decodeIfPresent(Float.self, forKey: .layerNormEpsilon) ?? 1e-6
        feedForwardProjection = try c.decodeIfPresent(String.self, forKey: .feedForwardProjection) ?? "relu"
    }

    /// Whether the feed-forward block is gated (`wi_0`, `wi_1`) rather than one `wi`.
    public var isGated: Bool { feedForwardProjection.hasPrefix("gated-") }

    /// The width of all heads side by side (`num_heads · d_kv`).
    public var innerDimension: Int { headCount * keyValueDimension }
}
