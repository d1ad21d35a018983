import HarpTensor

/// Multi-head scaled dot-product attention (`torch.nn.MultiheadAttention` with equal query, key
/// and value widths; keys `in_proj_weight`, `in_proj_bias`, `out_proj.weight`, `out_proj.bias`).
///
/// `head_h = softmax(Q_h·K_hᵀ / √d + mask)·V_h` with `Q, K, V` the rows of `in_proj_weight`
/// applied to query, key and value, `d = embedDimension / headCount`; the heads are concatenated
/// and projected by `out_proj`.
///
/// Shapes (`batchFirst`): query `[batch, targetLength, embed]`, key and value
/// `[batch, sourceLength, embed]` (self-attention passes the same tensor three times; cross
/// attention may have `sourceLength ≠ targetLength`) → `[batch, targetLength, embed]`. Without
/// `batchFirst` the first two axes are swapped, as in PyTorch.
/// Parameters: `in_proj_weight [3·embed, embed]` (Xavier-uniform), `in_proj_bias [3·embed]`
/// (zeros), `out_proj` a `Linear(embed, embed)` with a zero bias — PyTorch's initialisation.
/// Attention dropout is not implemented (PyTorch's `dropout=0`, the default).
public final class MultiHeadAttention: Module {
    @Keyed("in_proj_weight") public var inputProjectionWeight: Parameter
    @Keyed("in_proj_bias") public var inputProjectionBias: Parameter?
    @Keyed("out_proj") public var outputProjection: Linear

    public let embedDimension: Int
    public let headCount: Int
    public let batchFirst: Bool

    public init(embedDimension: Int, headCount: Int, bias: Bool = true, batchFirst: Bool = false,
                generator: inout RandomGenerator) {
        precondition(headCount >= 1 && embedDimension % headCount == 0,
                     "MultiHeadAttention: embed dimension \(embedDimension) not divisible by \(headCount) heads")
        self.embedDimension = embedDimension
        self.headCount = headCount
        self.batchFirst = batchFirst
        super.init()
        let projection = Linear(inputCount: embedDimension, outputCount: embedDimension, bias: bias, generator: &generator)
        inputProjectionWeight = Initialization.xavierUniform([3 * embedDimension, embedDimension], generator: &generator)
        inputProjectionBias = bias ? Tensor.zeros([3 * embedDimension], requiresGradient: true) : nil
        projection.bias?.assign(Tensor.zeros([embedDimension]))
        outputProjection = projection
    }

    /// The attention output (see `attention` for the arguments).
    public func callAsFunction(
        query: Tensor, key: Tensor, value: Tensor, keyPaddingMask: Tensor? = nil,
        attentionMask: Tensor? = nil, isCausal: Bool = false
    ) -> Tensor {
        attention(query: query, key: key, value: value, keyPaddingMask: keyPaddingMask,
                  attentionMask: attentionMask, isCausal: isCausal).output
    }

    /// The attention output and the attention weights averaged over heads
    /// (`need_weights=True, average_attn_weights=True`), `[batch, targetLength, sourceLength]`.
    ///
    /// - Parameters:
    ///   - keyPaddingMask: `[batch, sourceLength]`, non-zero where a key is padding and must be
    ///     ignored (PyTorch's boolean `key_padding_mask`).
    ///   - attentionMask: an additive mask `[targetLength, sourceLength]` (`−∞` hides a pair),
    ///     PyTorch's float `attn_mask`.
    ///   - isCausal: hide keys after each query position (the square subsequent mask); needs
    ///     `targetLength == sourceLength`.
    public func attention(
        query: Tensor, key: Tensor, value: Tensor, keyPaddingMask: Tensor? = nil,
        attentionMask: Tensor? = nil, isCausal: Bool = false
    ) -> (output: Tensor, weights: Tensor) {
        precondition(query.rank == 3 && key.rank == 3 && value.rank == 3, "MultiHeadAttention: inputs must be rank 3")
        let (q, k, v) = batchFirst ? (query, key, value) : (query.transposed(0, 1), key.transposed(0, 1), value.transposed(0, 1))
        let (batch, targetLength, sourceLength) = (q.shape[0], q.shape[1], k.shape[1])
        precondition(q.shape[2] == embedDimension && k.shape[2] == embedDimension && v.shape == k.shape,
                     "MultiHeadAttention: query \(q.shape), key \(k.shape), value \(v.shape) for width \(embedDimension)")
        let headWidth = embedDimension / headCount
        let queries = heads(project(q, part: 0)) * (1 / Float(headWidth).squareRoot())
        var scores = matmul(queries, heads(project(k, part: 1)).transposed())   // [batch, heads, target, source]
        if let mask = combinedMask(batch: batch, targetLength: targetLength, sourceLength: sourceLength,
                                   keyPaddingMask: keyPaddingMask, attentionMask: attentionMask, isCausal: isCausal) {
            scores = scores + mask
        }
        let weights = scores.softmax(alongAxis: -1)
        let merged = matmul(weights, heads(project(v, part: 2))).permuted(0, 2, 1, 3)
            .reshaped([batch, targetLength, embedDimension])
        let output = outputProjection(merged)
        return (batchFirst ? output : output.transposed(0, 1), weights.mean(alongAxis: 1))
    }

    /// `x·W_partᵀ + b_part` with the `part`-th block of rows of the input projection (0 query, 1 key, 2 value).
    private func project(_ x: Tensor, part: Int) -> Tensor {
        let rows = (part * embedDimension, (part + 1) * embedDimension)
        let weight = inputProjectionWeight.sliced(alongAxis: 0, start: rows.0, end: rows.1)
        let bias = inputProjectionBias?.sliced(alongAxis: 0, start: rows.0, end: rows.1)
        return Linear.linear(x, weight: weight, bias: bias)
    }

    /// `[batch, length, embed] → [batch, heads, length, headWidth]`.
    private func heads(_ x: Tensor) -> Tensor {
        x.reshaped([x.shape[0], x.shape[1], headCount, embedDimension / headCount]).permuted(0, 2, 1, 3)
    }

    /// The additive mask broadcastable to `[batch, heads, target, source]`, or `nil` for none.
    private func combinedMask(batch: Int, targetLength: Int, sourceLength: Int, keyPaddingMask: Tensor?,
                              attentionMask: Tensor?, isCausal: Bool) -> Tensor? {
        var mask: Tensor? = nil
        func add(_ term: Tensor) { mask = mask.map { $0 + term } ?? term }
        if let attentionMask {
            precondition(attentionMask.shape == [targetLength, sourceLength],
                         "MultiHeadAttention: attention mask \(attentionMask.shape), expected [\(targetLength), \(sourceLength)]")
            add(attentionMask)
        }
        if isCausal {
            precondition(targetLength == sourceLength, "MultiHeadAttention: a causal mask needs equal lengths")
            add(Self.causalMask(length: targetLength))
        }
        if let keyPaddingMask {
            precondition(keyPaddingMask.shape == [batch, sourceLength],
                         "MultiHeadAttention: key padding mask \(keyPaddingMask.shape), expected [\(batch), \(sourceLength)]")
            let additive = keyPaddingMask.scalars.map { $0 != 0 ? -Float.infinity : 0 }
            add(Tensor(shape: [batch, 1, 1, sourceLength], values: additive))
        }
        return mask
    }

    /// `[length, length]` with `−∞` above the diagonal and 0 elsewhere
    /// (`torch.nn.Transformer.generate_square_subsequent_mask`).
    public static func causalMask(length: Int) -> Tensor {
        Tensor(shape: [length, length]) { values in
            for row in 0..<length {
                for column in 0..<length { values[row * length + column] = column > row ? -.infinity : 0 }
            }
        }
    }
}
