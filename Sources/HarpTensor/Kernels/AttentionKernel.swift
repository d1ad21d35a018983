/// The fused forward pass of `scaledDotProductAttention`: for each (batch item, head) pair,
/// `S = scale·Q_h·K_hᵀ` by BLAS straight from the strided rows (leading dimension heads·width),
/// `+ bias`, causal rows cut to their visible prefix, row softmax, and `S·V_h` by BLAS written into
/// the head's columns of the output. Only one `[queryLength, keyLength]` score matrix per thread
/// exists at a time.
enum AttentionKernel {
    static func forward(query: Tensor, key: Tensor, value: Tensor, geometry g: AttentionGeometry, scale: Float,
                        bias: Tensor?, isCausal: Bool, queryOffset: Int) -> Tensor {
        let (t, l, h) = (g.queryLength, g.keyLength, g.headCount)
        let (dk, dv) = (g.keyWidth, g.valueWidth)
        let outShape = [g.batch, t, h * dv]
        let pairs = g.batch * h
        return Tensor(shape: outShape) { out in
            guard out.count > 0 else { return }
            guard l > 0 else { out.initialize(repeating: 0); return }
            query.withUnsafeBufferPointer { q in
                key.withUnsafeBufferPointer { k in
                    value.withUnsafeBufferPointer { v in
                        withOptionalBuffer(bias) { b in
                            let work = t * l * max(dk, dv)
                            let small = MatrixKernels.isSmallProduct(m: t, n: l, k: max(dk, dv))
                            let chunk = small ? max(1, Parallel.minimumWorkPerThread / max(1, work)) : pairs
                            Parallel.forEachChunk(count: pairs, minimumChunk: chunk) { range in
                                var scores = [Float](repeating: 0, count: t * l)
                                scores.withUnsafeMutableBufferPointer { s in
                                    for pair in range {
                                        let (item, head) = (pair / h, pair % h)
                                        MatrixKernels.sgemm(
                                            transposeB: true, m: t, n: l, k: dk, alpha: scale,
                                            a: q.baseAddress! + item * t * h * dk + head * dk, lda: h * dk,
                                            b: k.baseAddress! + item * g.capacity * h * dk + head * dk, ldb: h * dk,
                                            c: s.baseAddress!, ldc: l)
                                        if let b, let shape = g.biasShape {
                                            addBias(b, shape: shape, item: item, head: head, to: s.baseAddress!, rows: t, columns: l)
                                        }
                                        normalizeRows(s.baseAddress!, rows: t, columns: l,
                                                      visible: { isCausal ? min(l, max(0, $0 + queryOffset + 1)) : l })
                                        MatrixKernels.sgemm(
                                            m: t, n: dv, k: l,
                                            a: s.baseAddress!, lda: l,
                                            b: v.baseAddress! + item * g.capacity * h * dv + head * dv, ldb: h * dv,
                                            c: out.baseAddress! + item * t * h * dv + head * dv, ldc: h * dv)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds the bias slice for (`item`, `head`) to the `[rows, columns]` scores, broadcasting its
    /// size-1 axes.
    private static func addBias(_ bias: UnsafeBufferPointer<Float>, shape: [Int], item: Int, head: Int,
                                to scores: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        let base = ((shape[0] == 1 ? 0 : item) * shape[1] + (shape[1] == 1 ? 0 : head)) * shape[2] * columns
        for row in 0..<rows {
            let source = bias.baseAddress! + base + (shape[2] == 1 ? 0 : row) * columns
            let target = scores + row * columns
            ElementwiseKernel.zipRange(Add(), target, 1, source, 1, target, 0..<columns)
        }
    }

    /// Softmax over the first `visible(row)` values of each row; the rest become 0.
    private static func normalizeRows(_ scores: UnsafeMutablePointer<Float>, rows: Int, columns: Int,
                                      visible: (Int) -> Int) {
        for row in 0..<rows {
            let x = scores + row * columns
            let n = visible(row)
            if n < columns { (x + n).update(repeating: 0, count: columns - n) }
            guard n > 0 else { continue }
            let m = SoftmaxKernel.shift(x, n)
            let total = SoftmaxKernel.exponentials(x, x, n, minus: m)
            let inverse = 1 / total
            for i in 0..<n { x[i] *= inverse }
        }
    }

    private static func withOptionalBuffer<R>(_ tensor: Tensor?, _ body: (UnsafeBufferPointer<Float>?) -> R) -> R {
        guard let tensor else { return body(nil) }
        return tensor.withUnsafeBufferPointer { body($0) }
    }
}
