/// A BERT encoder's `config.json` (`transformers` `BertConfig`), the keys Harp uses.
public struct BertConfiguration: Codable, Sendable, Equatable {
    public var vocabSize: Int
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var intermediateSize: Int
    public var maximumPositionCount: Int
    public var typeVocabSize: Int
    public var layerNormEpsilon: Float
    public var hiddenActivation: String

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", hiddenSize = "hidden_size", layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads", intermediateSize = "intermediate_size"
        case maximumPositionCount = "max_position_embeddings", typeVocabSize = "type_vocab_size"
        case layerNormEpsilon = "layer_norm_eps", hiddenActivation = "hidden_act"
    }

    /// Why these numbers cannot be a BERT, or `nil`. Bounds keep a hostile file from asking for
    /// absurd allocations before any weight is read.
    func problem() -> String? {
        let counts = [vocabSize, hiddenSize, layerCount, headCount, intermediateSize, maximumPositionCount, typeVocabSize]
        guard counts.allSatisfy({ (1...1_000_000).contains($0) }), layerCount <= 256 else { return "sizes out of range" }
        guard hiddenSize % headCount == 0 else { return "hidden_size \(hiddenSize) is not a multiple of \(headCount) heads" }
        guard hiddenActivation == "gelu" else { return "hidden_act \(hiddenActivation); only gelu is implemented" }
        guard layerNormEpsilon.isFinite && layerNormEpsilon > 0 else { return "layer_norm_eps must be above 0" }
        return nil
    }
}
