import HarpTensor

/// One T5 encoder block: RMS-normalised self-attention with the shared relative-position bias,
/// then an RMS-normalised feed-forward block, each added back to the input.
///
/// ref: huggingface/transformers `models/t5/modeling_t5.py` (`T5Block`, `T5LayerSelfAttention`,
/// `T5Attention`, `T5LayerFF`). Scores are **not** scaled by 1/√d_kv; no linear has a bias.
struct T5Block {
    let configuration: T5Configuration
    let attentionNorm: Tensor
    let query: Projection, key: Projection, value: Projection, output: Projection
    let feedForwardNorm: Tensor
    /// `wi` (ReLU), or `wi_0` (gated-GELU's activated half).
    let feedForwardIn: Projection
    /// `wi_1` for gated-GELU, else `nil`.
    let feedForwardGate: Projection?
    let feedForwardOut: Projection

    /// `x [batch, length, d_model]` with `bias [batch|1, heads, length, length]` (positions + padding).
    func callAsFunction(_ x: Tensor, bias: Tensor) -> Tensor {
        let c = configuration
        let normed = rmsNorm(x, attentionNorm)
        let attended = scaledDotProductAttention(query: query(normed), key: key(normed), value: value(normed),
                                                 headCount: c.headCount, scale: 1, bias: bias)
        let h = x + output(attended)
        return h + feedForward(rmsNorm(h, feedForwardNorm))
    }

    private func feedForward(_ x: Tensor) -> Tensor {
        if let feedForwardGate {
            return feedForwardOut(Self.geluTanh(feedForwardIn(x)) * feedForwardGate(x))
        }
        return feedForwardOut(feedForwardIn(x).relu())
    }

    private func rmsNorm(_ x: Tensor, _ weight: Tensor) -> Tensor {
        x.rmsNorm(normalizedShape: [configuration.modelDimension], weight: weight, epsilon: configuration.layerNormEpsilon)
    }

    /// `gelu_new`: ½x(1 + tanh(√(2/π)(x + 0.044715x³))), T5 v1.1's activation.
    static func geluTanh(_ x: Tensor) -> Tensor {
        let inner = (x + x * x * x * 0.044715) * Float(0.7978845608028654)
        return x * 0.5 * (inner.tanh() + 1)
    }
}
