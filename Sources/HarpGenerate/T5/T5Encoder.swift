import HarpTensor

/// The T5 text encoder (`transformers` `T5EncoderModel`): token embeddings, blocks sharing the
/// relative-position bias of block 0, a final RMS norm.
///
/// Shapes: token ids `[batch, length]` and attention mask `[batch, length]` (1 = token, 0 =
/// padding) → hidden states `[batch, length, d_model]`. Padded positions get states too (as in
/// the reference); MusicGen multiplies them by the mask afterwards.
public final class T5Encoder {
    public let configuration: T5Configuration
    let embedding: Tensor
    /// `[buckets, heads]`.
    let relativeAttentionBias: Tensor
    let blocks: [T5Block]
    let finalNorm: Tensor

    init(configuration: T5Configuration, embedding: Tensor, relativeAttentionBias: Tensor, blocks: [T5Block],
         finalNorm: Tensor) {
        self.configuration = configuration
        self.embedding = embedding
        self.relativeAttentionBias = relativeAttentionBias
        self.blocks = blocks
        self.finalNorm = finalNorm
    }

    /// The encoder's last hidden states `[batch, length, d_model]`.
    public func callAsFunction(ids: IntTensor, mask: IntTensor) -> Tensor {
        precondition(ids.rank == 2 && mask.shape == ids.shape, "T5: ids \(ids.shape) and mask \(mask.shape)")
        let (batch, length) = (ids.shape[0], ids.shape[1])
        let c = configuration
        var x = embedding.gathered(indices: ids.scalars.map { Int($0) }, alongAxis: 0)
            .reshaped([batch, length, c.modelDimension])
        let bias = positionBias(queryLength: length, keyLength: length) + Self.paddingBias(mask)
        for block in blocks { x = block(x, bias: bias) }
        return x.rmsNorm(normalizedShape: [c.modelDimension], weight: finalNorm, epsilon: c.layerNormEpsilon)
    }

    /// Block 0's relative-position bias `[1, heads, queryLength, keyLength]` (`compute_bias`).
    public func positionBias(queryLength: Int, keyLength: Int) -> Tensor {
        let c = configuration
        let buckets = RelativePositionBuckets.table(queryLength: queryLength, keyLength: keyLength,
                                                    bucketCount: c.relativeAttentionBucketCount,
                                                    maxDistance: c.relativeAttentionMaxDistance)
        return relativeAttentionBias.gathered(indices: buckets, alongAxis: 0)   // [q·k, heads]
            .reshaped([queryLength, keyLength, c.headCount]).permuted(2, 0, 1).unsqueezed(axis: 0)
    }

    /// `[batch, 1, 1, length]`: 0 for tokens, the most negative Float for padding (as
    /// `transformers` masks), so a fully padded row still has finite scores.
    static func paddingBias(_ mask: IntTensor) -> Tensor {
        Tensor(shape: [mask.shape[0], 1, 1, mask.shape[1]],
               values: mask.scalars.map { $0 != 0 ? 0 : -Float.greatestFiniteMagnitude })
    }
}
