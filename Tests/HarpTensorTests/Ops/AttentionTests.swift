import HarpTensor
import HarpTestSupport
import Testing

/// The fused attention kernel against its recorded composition (split heads, matmul, softmax,
/// merge), which the gradient path runs: with bias broadcasting, causal offsets and a key length
/// shorter than the buffer, as a key/value cache uses it.
@Suite struct AttentionTests {
    private func random(_ shape: [Int], _ seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor.normal(shape, generator: &generator)
    }

    /// Runs the fused kernel (no gradients) and the composition (inputs needing gradients).
    private func bothPaths(query: Tensor, key: Tensor, value: Tensor, heads: Int, bias: Tensor? = nil,
                           isCausal: Bool = false, queryOffset: Int = 0, keyLength: Int? = nil) -> (Tensor, Tensor) {
        let fused = withoutGradients {
            scaledDotProductAttention(query: query, key: key, value: value, headCount: heads, scale: 0.35, bias: bias,
                                      isCausal: isCausal, queryOffset: queryOffset, keyLength: keyLength)
        }
        let tracked = [query, key, value].map { Tensor(shape: $0.shape, values: $0.scalars, requiresGradient: true) }
        let composed = scaledDotProductAttention(query: tracked[0], key: tracked[1], value: tracked[2], headCount: heads,
                                                 scale: 0.35, bias: bias, isCausal: isCausal, queryOffset: queryOffset,
                                                 keyLength: keyLength)
        return (fused, composed)
    }

    @Test func fusedMatchesComposedWithBroadcastBias() {
        let (q, k, v) = (random([2, 5, 12], 1), random([2, 7, 12], 2), random([2, 7, 9], 3))
        let bias = random([1, 3, 5, 7], 4) + Tensor(shape: [2, 1, 1, 7], values: (0..<14).map { $0 == 6 ? -1e30 : 0 })
        let (fused, composed) = bothPaths(query: q, key: k, value: v, heads: 3, bias: bias)
        #expect(fused.shape == [2, 5, 9])
        expectClose(fused, composed, relative: 1e-5, absolute: 1e-6)
    }

    @Test func causalWithOffsetAndShortKeyLengthMatchesComposed() {
        // A buffer of 10 rows, 6 filled: 2 queries at positions 4 and 5.
        let (q, k, v) = (random([3, 2, 8], 5), random([3, 10, 8], 6), random([3, 10, 8], 7))
        let (fused, composed) = bothPaths(query: q, key: k, value: v, heads: 2, isCausal: true, queryOffset: 4, keyLength: 6)
        expectClose(fused, composed, relative: 1e-5, absolute: 1e-6)
    }

    @Test func causalSelfAttentionMatchesComposed() {
        let x = random([1, 33, 16], 8)
        let (fused, composed) = bothPaths(query: x, key: random([1, 33, 16], 9), value: random([1, 33, 16], 10),
                                          heads: 4, isCausal: true)
        expectClose(fused, composed, relative: 1e-5, absolute: 1e-6)
    }

    @Test func fullyMaskedRowsAverageTheValues() {
        // Every key hidden by the most negative finite bias: uniform weights, as transformers' masks give.
        let v = random([1, 4, 4], 11)
        let bias = Tensor(shape: [1, 1, 1, 4], repeating: -Float.greatestFiniteMagnitude)
        let out = withoutGradients {
            scaledDotProductAttention(query: random([1, 1, 4], 12), key: random([1, 4, 4], 13), value: v,
                                      headCount: 1, scale: 1, bias: bias)
        }
        expectClose(out, v.mean(alongAxis: 1, keepDims: true), relative: 1e-5, absolute: 1e-6)
    }

    @Test func gradientsFlowThroughTheComposedPath() {
        let q = Tensor(shape: [1, 2, 4], values: random([1, 2, 4], 14).scalars, requiresGradient: true)
        let out = scaledDotProductAttention(query: q, key: random([1, 3, 4], 15), value: random([1, 3, 4], 16),
                                            headCount: 2, scale: 0.5)
        out.sum().backward()
        #expect(q.grad?.shape == [1, 2, 4])
    }
}
