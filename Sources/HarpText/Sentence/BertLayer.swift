import HarpTensor

/// One post-LN BERT layer: self-attention (scores scaled by 1/√head size, padding masked) added to
/// the input and layer-normalised, then a GELU feed-forward block added and normalised again.
///
/// ref: huggingface/transformers `models/bert/modeling_bert.py` (`BertLayer`, `BertSelfAttention`,
/// `BertSelfOutput`, `BertIntermediate`, `BertOutput`).
struct BertLayer {
    let configuration: BertConfiguration
    let query: Dense, key: Dense, value: Dense, attentionOutput: Dense
    let attentionNorm: (weight: Tensor, bias: Tensor)
    let intermediate: Dense, output: Dense
    let outputNorm: (weight: Tensor, bias: Tensor)

    /// `x [batch, length, hidden]`, `bias [batch, 1, 1, length]` (0 for tokens, very negative for padding).
    func callAsFunction(_ x: Tensor, bias: Tensor) -> Tensor {
        let c = configuration
        let headSize = c.hiddenSize / c.headCount
        let attended = scaledDotProductAttention(query: query(x), key: key(x), value: value(x), headCount: c.headCount,
                                                 scale: 1 / Float(headSize).squareRoot(), bias: bias)
        let h = norm(x + attentionOutput(attended), attentionNorm)
        return norm(h + output(intermediate(h).gelu()), outputNorm)
    }

    private func norm(_ x: Tensor, _ parameters: (weight: Tensor, bias: Tensor)) -> Tensor {
        x.layerNorm(normalizedShape: [configuration.hiddenSize], weight: parameters.weight, bias: parameters.bias,
                    epsilon: configuration.layerNormEpsilon)
    }
}
