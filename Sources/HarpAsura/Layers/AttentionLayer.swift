import HarpNN
import HarpTensor

/// Grouped-query self-attention with layer-normed queries and keys and rotary positions (the
/// reference's `AttnLayer`, `harp/asura/modules.py`; state keys `attn_qkv_proj`, `attn_out_proj`).
/// `queryGrouping` query heads share one key/value head (PyTorch's `enable_gqa`: query head `h`
/// reads key/value head `h / grouping`). The reference runs attention in bfloat16 for flash
/// attention; Harp stays in float32.
///
/// Shapes: `[batch, length, modelWidth]` → the same.
public final class AttentionLayer: Module {
    @Keyed("attn_qkv_proj") public var qkvProjection: Linear
    @Keyed("attn_out_proj") public var outProjection: Linear
    public let headWidth: Int
    public let queryHeads: Int
    public let keyValueHeads: Int
    public let isCausal: Bool
    /// The position range of the rotary encoding (the reference's `pos_enc_length`).
    public let positionRange: Int

    public init(_ config: TransformerConfiguration, positionRange: Int, isCausal: Bool, generator: inout RandomGenerator) {
        headWidth = config.headWidth
        queryHeads = config.queryHeadCount
        keyValueHeads = config.keyValueHeadCount
        _qkvProjection.wrappedValue = Linear(inputCount: config.modelWidth, outputCount: headWidth * (queryHeads + 2 * keyValueHeads),
                               bias: false, generator: &generator)
        _outProjection.wrappedValue = Linear(inputCount: headWidth * queryHeads, outputCount: config.modelWidth, bias: false,
                               generator: &generator)
        self.isCausal = isCausal
        self.positionRange = positionRange
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let batch = x.shape[0], length = x.shape[1]
        let qkv = qkvProjection(x)
        let parts = qkv.split(sizes: [queryHeads * headWidth, keyValueHeads * headWidth, keyValueHeads * headWidth],
                              alongAxis: 2)
        func prepared(_ t: Tensor, heads: Int) -> Tensor {
            let normed = t.reshaped([batch, length, heads, headWidth]).layerNorm(normalizedShape: [headWidth])
            return SinusoidEncoding.applyRotary(normed, maxRange: Float(positionRange))
        }
        let query = prepared(parts[0], heads: queryHeads)
        let key = expandedToQueryHeads(prepared(parts[1], heads: keyValueHeads))
        let value = expandedToQueryHeads(parts[2].reshaped([batch, length, keyValueHeads, headWidth]))
        let attended = scaledDotProductAttention(
            query: query.reshaped([batch, length, queryHeads * headWidth]),
            key: key.reshaped([batch, length, queryHeads * headWidth]),
            value: value.reshaped([batch, length, queryHeads * headWidth]),
            headCount: queryHeads, scale: 1 / Float(headWidth).squareRoot(), isCausal: isCausal)
        return outProjection(attended)
    }

    /// `[batch, length, keyValueHeads, width]` → `[batch, length, queryHeads, width]`, each
    /// key/value head repeated for the query heads of its group.
    func expandedToQueryHeads(_ t: Tensor) -> Tensor {
        let grouping = queryHeads / keyValueHeads
        guard grouping > 1 else { return t }
        let (batch, length) = (t.shape[0], t.shape[1])
        return t.unsqueezed(axis: 3).expanded(to: [batch, length, keyValueHeads, grouping, headWidth])
            .reshaped([batch, length, queryHeads, headWidth])
    }
}
