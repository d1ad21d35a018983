/// Matrix products through BLAS, batched over leading axes.
///
/// ref: `torch.matmul` for operands of rank ≥ 2: `[..., m, k] × [..., k, n] → [..., m, n]`,
/// where the leading (batch) axes are equal or one operand is a single matrix (rank 2) shared by
/// the whole batch. Rank-1 operands are not promoted: reshape them first.
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.rank >= 2 && b.rank >= 2, "matmul needs rank ≥ 2 operands, got \(a.shape) and \(b.shape)")
    let (m, k) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
    let (k2, n) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
    precondition(k == k2, "matmul: inner sizes differ in \(a.shape) × \(b.shape)")
    let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
    precondition(batchA == batchB || batchA.isEmpty || batchB.isEmpty,
                 "matmul: batch axes \(batchA) and \(batchB) must match, or one operand be a matrix")
    let batch = batchA.count >= batchB.count ? batchA : batchB
    let batchCount = Shape.count(batch)
    let strideA = batchA.isEmpty ? 0 : m * k, strideB = batchB.isEmpty ? 0 : k * n
    let result = Tensor(shape: batch + [m, n]) { out in
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                MatrixKernels.batchedSgemm(batchCount: batchCount, m: m, n: n, k: k,
                                           a: pa.baseAddress!, strideA: strideA,
                                           b: pb.baseAddress!, strideB: strideB, c: out.baseAddress!)
            }
        }
    }
    return Tensor.recording("matmul", result: result, inputs: [a, b]) { gradient in
        [a.requiresGradient ? gradient.matmulGradient(other: b, otherStride: strideB, m: m, n: n, k: k,
                                                      batchCount: batchCount, forFirst: true, shape: a.shape) : nil,
         b.requiresGradient ? gradient.matmulGradient(other: a, otherStride: strideA, m: m, n: n, k: k,
                                                      batchCount: batchCount, forFirst: false, shape: b.shape) : nil]
    }
}

extension Tensor {
    /// ∂/∂A = G·Bᵀ (`[m, k]` per batch) or ∂/∂B = Aᵀ·G (`[k, n]`), summed over the batch when the
    /// operand was a single shared matrix (beta = 1 accumulates into one output).
    fileprivate func matmulGradient(other: Tensor, otherStride: Int, m: Int, n: Int, k: Int,
                                    batchCount: Int, forFirst: Bool, shape target: [Int]) -> Tensor {
        let shared = target.count == 2 && batchCount > 1
        let rows = forFirst ? m : k, columns = forFirst ? k : n
        return Tensor(shape: target) { out in
            out.initialize(repeating: 0)
            withUnsafeBufferPointer { g in
                other.withUnsafeBufferPointer { o in
                    for index in 0..<batchCount {
                        let output = out.baseAddress! + (shared ? 0 : index * rows * columns)
                        let gradient = g.baseAddress! + index * m * n
                        let operand = o.baseAddress! + index * otherStride
                        if forFirst {   // [m, n] × [k, n]ᵀ
                            MatrixKernels.sgemm(transposeB: true, m: m, n: k, k: n, a: gradient, b: operand,
                                                beta: shared ? 1 : 0, c: output)
                        } else {        // [m, k]ᵀ × [m, n]
                            MatrixKernels.sgemm(transposeA: true, m: k, n: n, k: m, a: operand, b: gradient,
                                                beta: shared ? 1 : 0, c: output)
                        }
                    }
                }
            }
        }
    }
}
