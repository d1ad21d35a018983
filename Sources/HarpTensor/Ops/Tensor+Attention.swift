// Multi-head scaled dot-product attention as one primitive over rows that hold every head side by
// side (`[batch, length, heads·width]`, the layout projections produce), so no head is permuted
// into place and only one head's scores exist at a time.

/// `softmax(scale·Q_h·K_hᵀ + bias_h)·V_h` for every batch item and head `h`, the heads' outputs
/// side by side (`torch.nn.functional.scaled_dot_product_attention` after splitting heads, with the
/// result merged back).
///
/// Shapes: `query [batch, queryLength, heads·keyWidth]`, `key [batch, capacity, heads·keyWidth]`,
/// `value [batch, capacity, heads·valueWidth]` → `[batch, queryLength, heads·valueWidth]`.
/// Head `h` owns columns `h·width ..< (h+1)·width` of each row.
///
/// - Parameters:
///   - headCount: the number of heads; it divides the query and value widths.
///   - scale: multiplies `Q·Kᵀ` (1/√keyWidth usually; T5 uses 1).
///   - bias: an additive term of rank 4, each axis 1 or full: `[batch|1, heads|1, queryLength|1,
///     keyLength]` (relative positions, padding masks with a large negative value).
///   - isCausal: query `i` sees key `j` only when `j ≤ i + queryOffset`.
///   - queryOffset: the absolute position of the first query (the number of cached keys before it).
///   - keyLength: attend to the first `keyLength` rows of `key` and `value` only (a key/value cache
///     fills a buffer of `capacity` rows from the front); `nil` means all.
///
/// With no input needing a gradient this runs one fused kernel: per batch item and head, BLAS over
/// strided rows, bias and mask, softmax, BLAS again, written into place. Otherwise it is composed of
/// recorded ops (split heads, `matmul`, `softmax`, merge heads), so gradients flow as usual; that
/// composition is also the reference the kernel is tested against.
public func scaledDotProductAttention(
    query: Tensor, key: Tensor, value: Tensor, headCount: Int, scale: Float,
    bias: Tensor? = nil, isCausal: Bool = false, queryOffset: Int = 0, keyLength: Int? = nil
) -> Tensor {
    let geometry = AttentionGeometry(query: query, key: key, value: value, headCount: headCount,
                                     bias: bias, keyLength: keyLength)
    let inputs = [query, key, value] + (bias.map { [$0] } ?? [])
    if GradientMode.isEnabled && inputs.contains(where: { $0.requiresGradient }) {
        return composedAttention(query: query, key: key, value: value, geometry: geometry, scale: scale,
                                 bias: bias, isCausal: isCausal, queryOffset: queryOffset)
    }
    return AttentionKernel.forward(query: query, key: key, value: value, geometry: geometry, scale: scale,
                                   bias: bias, isCausal: isCausal, queryOffset: queryOffset)
}

/// The sizes of one attention call, checked once.
struct AttentionGeometry {
    let batch: Int, queryLength: Int, capacity: Int, keyLength: Int
    let headCount: Int, keyWidth: Int, valueWidth: Int
    /// The bias's sizes (each 1 or full), or `nil`.
    let biasShape: [Int]?

    init(query: Tensor, key: Tensor, value: Tensor, headCount: Int, bias: Tensor?, keyLength: Int?) {
        precondition(query.rank == 3 && key.rank == 3 && value.rank == 3,
                     "attention: query \(query.shape), key \(key.shape), value \(value.shape) must be rank 3")
        precondition(headCount >= 1 && query.shape[2] % headCount == 0 && value.shape[2] % headCount == 0,
                     "attention: widths \(query.shape[2]), \(value.shape[2]) do not split into \(headCount) heads")
        batch = query.shape[0]
        queryLength = query.shape[1]
        capacity = key.shape[1]
        self.keyLength = keyLength ?? capacity
        self.headCount = headCount
        keyWidth = query.shape[2] / headCount
        valueWidth = value.shape[2] / headCount
        precondition(key.shape == [batch, capacity, query.shape[2]] && value.shape[0] == batch
                     && value.shape[1] == capacity,
                     "attention: key \(key.shape) and value \(value.shape) do not fit query \(query.shape)")
        precondition(self.keyLength >= 0 && self.keyLength <= capacity,
                     "attention: key length \(self.keyLength) outside 0...\(capacity)")
        if let bias {
            let full = [batch, headCount, queryLength, self.keyLength]
            precondition(bias.rank == 4 && (0..<3).allSatisfy { bias.shape[$0] == 1 || bias.shape[$0] == full[$0] }
                         && bias.shape[3] == full[3],
                         "attention: bias \(bias.shape) does not broadcast to \(full)")
            biasShape = bias.shape
        } else {
            biasShape = nil
        }
    }
}

/// The recorded composition: heads split out, `Q·Kᵀ`, bias and mask, softmax, `·V`, heads merged.
func composedAttention(query: Tensor, key: Tensor, value: Tensor, geometry g: AttentionGeometry, scale: Float,
                       bias: Tensor?, isCausal: Bool, queryOffset: Int) -> Tensor {
    func heads(_ x: Tensor, width: Int) -> Tensor {   // [B, L, H·w] → [B, H, L, w]
        x.reshaped([g.batch, x.shape[1], g.headCount, width]).permuted(0, 2, 1, 3)
    }
    let keys = g.keyLength == g.capacity ? key : key.sliced(alongAxis: 1, start: 0, end: g.keyLength)
    let values = g.keyLength == g.capacity ? value : value.sliced(alongAxis: 1, start: 0, end: g.keyLength)
    var scores = matmul(heads(query, width: g.keyWidth), heads(keys, width: g.keyWidth).transposed()) * scale
    if let bias { scores = scores + bias }
    if isCausal {
        let mask = Tensor(shape: [g.queryLength, g.keyLength]) { values in
            for i in 0..<g.queryLength {
                for j in 0..<g.keyLength { values[i * g.keyLength + j] = j > i + queryOffset ? -.infinity : 0 }
            }
        }
        scores = scores + mask
    }
    return matmul(scores.softmax(alongAxis: -1), heads(values, width: g.valueWidth))
        .permuted(0, 2, 1, 3).reshaped([g.batch, g.queryLength, g.headCount * g.valueWidth])
}
