import HarpTensor

/// One MusicGen decoder layer, pre-LN: causal self-attention (through the cache), cross-attention
/// to the text conditioning, a GELU feed-forward block, each added back. No linear has a bias.
///
/// ref: huggingface/transformers `models/musicgen/modeling_musicgen.py` `MusicgenDecoderLayer`.
struct MusicgenDecoderLayer {
    let headCount: Int
    let selfAttentionNorm: (weight: Tensor, bias: Tensor)
    let selfQuery: Projection, selfKey: Projection, selfValue: Projection, selfOutput: Projection
    let crossAttentionNorm: (weight: Tensor, bias: Tensor)
    let crossQuery: Projection, crossKey: Projection, crossValue: Projection, crossOutput: Projection
    let finalNorm: (weight: Tensor, bias: Tensor)
    let feedForwardIn: Projection, feedForwardOut: Projection

    var headWidth: Int { selfQuery.outputCount / headCount }

    /// `x [batch, steps, hidden]` at positions `cache.length ..< cache.length + steps`.
    func callAsFunction(_ x: Tensor, layer: Int, cache: KeyValueCache, memory: CrossAttentionMemory) -> Tensor {
        let scale = 1 / Float(headWidth).squareRoot()
        let normed = layerNorm(x, selfAttentionNorm)
        cache.store(layer: layer, keys: selfKey(normed), values: selfValue(normed))
        let steps = x.shape[1]
        let attended = scaledDotProductAttention(
            query: selfQuery(normed), key: cache.keys[layer], value: cache.values[layer], headCount: headCount,
            scale: scale, isCausal: true, queryOffset: cache.length, keyLength: cache.length + steps)
        var h = x + selfOutput(attended)
        let crossNormed = layerNorm(h, crossAttentionNorm)
        let crossAttended = scaledDotProductAttention(
            query: crossQuery(crossNormed), key: memory.keys[layer], value: memory.values[layer],
            headCount: headCount, scale: scale, bias: memory.bias)
        h = h + crossOutput(crossAttended)
        return h + feedForwardOut(feedForwardIn(layerNorm(h, finalNorm)).gelu())
    }

    private func layerNorm(_ x: Tensor, _ norm: (weight: Tensor, bias: Tensor)) -> Tensor {
        x.layerNorm(normalizedShape: [x.shape[x.rank - 1]], weight: norm.weight, bias: norm.bias, epsilon: 1e-5)
    }
}

/// The cross-attention keys and values of the conditioning, computed once per generation, and
/// its padding bias `[batch, 1, 1, textLength]`.
public struct CrossAttentionMemory {
    let keys: [Tensor]
    let values: [Tensor]
    let bias: Tensor
}
