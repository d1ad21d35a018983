import CBLAS

/// Single-precision matrix products over raw row-major buffers, through OpenBLAS.
///
/// Shapes follow BLAS: `C[m, n] = alpha · op(A)[m, k] · op(B)[k, n] + beta · C`, where `op(X)` is
/// `X` or its transpose. Leading dimensions are row strides in elements.
public enum MatrixKernels {
    /// `C = alpha · op(A) · op(B) + beta · C` for one matrix.
    ///
    /// - Parameters:
    ///   - transposeA: use `Aᵀ`; then `a` is stored `[k, m]`, otherwise `[m, k]`.
    ///   - transposeB: use `Bᵀ`; then `b` is stored `[n, k]`, otherwise `[k, n]`.
    ///   - lda, ldb, ldc: row strides of the stored matrices; `nil` means packed.
    ///   - beta: 0 overwrites `c` (its old contents, even NaN, are ignored).
    public static func sgemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int? = nil,
        b: UnsafePointer<Float>, ldb: Int? = nil,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int? = nil
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "sgemm: negative dimension")
        guard m > 0, n > 0 else { return }
        let ldc = ldc ?? n
        guard k > 0, alpha != 0 else {
            // BLAS would do this too, but rejects the degenerate leading dimensions of k = 0.
            scale(c, rows: m, columns: n, rowStride: ldc, by: beta)
            return
        }
        Parallel.configureBLASOnce()
        let lda = lda ?? (transposeA ? m : k)
        let ldb = ldb ?? (transposeB ? k : n)
        // A few rows against a large matrix (a decoder step under classifier-free guidance, which
        // doubles the batch): one gemv per row reads the matrix `m` times, still less than sgemm
        // packing it (MusicGen-small with guidance: 2.3 → 3.5 decoder steps/s).
        if m > 1 && m <= rowwiseLimit && !transposeA && !isSmallProduct(m: m, n: n, k: k) {
            for row in 0..<m {
                sgemm(transposeB: transposeB, m: 1, n: n, k: k, alpha: alpha, a: a + row * lda, lda: lda,
                      b: b, ldb: ldb, beta: beta, c: c + row * ldc, ldc: ldc)
            }
            return
        }
        // A row or column vector: OpenBLAS 0.3.21's sgemm would pack the whole matrix operand on
        // every call (a recurrent step's `h · Wᵀ`); its gemv reads it once.
        if m == 1 || n == 1, beta == 0 {
            scale(c, rows: m, columns: n, rowStride: ldc, by: 0)   // beta 0 ignores NaN in c, as sgemm does
        }
        if m == 1 {
            // c[1, n] = op(B)ᵀ · a: B stored [k, n] → Bᵀa; stored [n, k] → Ba.
            cblas_sgemv(CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans,
                        blasInt(transposeB ? n : k), blasInt(transposeB ? k : n),
                        alpha, b, blasInt(ldb), a, blasInt(transposeA ? lda : 1), beta, c, 1)
            return
        }
        if n == 1 {
            // c[m, 1] = op(A) · b: A stored [m, k] → Ab; stored [k, m] → Aᵀb.
            cblas_sgemv(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                        blasInt(transposeA ? k : m), blasInt(transposeA ? m : k),
                        alpha, a, blasInt(lda), b, blasInt(transposeB ? 1 : ldb), beta, c, blasInt(ldc))
            return
        }
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            blasInt(m), blasInt(n), blasInt(k),
            alpha, a, blasInt(lda), b, blasInt(ldb),
            beta, c, blasInt(ldc))
    }

    /// Batched `C[i] = alpha · op(A[i]) · op(B[i]) + beta · C[i]` for `i` in `0..<batchCount`.
    ///
    /// Shapes `[batch, m, k] × [batch, k, n] → [batch, m, n]` (before transposes). A stride of 0
    /// broadcasts one matrix over the batch (e.g. a weight `[k, n]` against activations
    /// `[batch, m, k]`). Small products run one per thread, each single-threaded inside BLAS;
    /// large ones run in order, each using all of BLAS's threads.
    ///
    /// - Parameters:
    ///   - strideA, strideB: elements between consecutive batch matrices; `nil` means packed, 0
    ///     broadcasts.
    ///   - strideC: elements between output matrices; `nil` means packed. Must not be 0.
    public static func batchedSgemm(
        batchCount: Int,
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, strideA: Int? = nil,
        b: UnsafePointer<Float>, strideB: Int? = nil,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, strideC: Int? = nil
    ) {
        let strideA = strideA ?? m * k
        let strideB = strideB ?? k * n
        let strideC = strideC ?? m * n
        precondition(strideC != 0 || batchCount <= 1, "batchedSgemm: outputs must not alias")
        let product = { (index: Int) in
            sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                  alpha: alpha, a: a + index * strideA, b: b + index * strideB,
                  beta: beta, c: c + index * strideC)
        }
        if isSmallProduct(m: m, n: n, k: k) {
            let productsPerChunk = max(1, Parallel.minimumWorkPerThread / max(1, m * n * k))
            Parallel.forEachChunk(count: batchCount, minimumChunk: productsPerChunk) { range in
                for index in range { product(index) }
            }
        } else {
            for index in 0..<batchCount { product(index) }
        }
    }

    /// Up to this many rows of `A`, a product with a large matrix runs as one `sgemv` per row.
    static let rowwiseLimit = 4

    /// Multiply-adds below which OpenBLAS 0.3 runs `sgemm` on one thread
    /// (`SMP_THRESHOLD_MIN · GEMM_MULTITHREAD_THRESHOLD` = 65536 · 4 in `interface/gemm.c`), so
    /// running such products from several of our threads does not oversubscribe the cores.
    /// (Concurrent calls are safe either way: OpenBLAS has serialised its thread pool since 0.3.7.)
    static let smallProductWork = 65_536 * 4

    static func isSmallProduct(m: Int, n: Int, k: Int) -> Bool {
        m * n * k <= smallProductWork
    }

    /// `x = factor · x` over a strided matrix; factor 0 writes zeros (clearing NaN).
    static func scale(_ x: UnsafeMutablePointer<Float>, rows: Int, columns: Int, rowStride: Int, by factor: Float) {
        guard factor != 1 else { return }
        for row in 0..<rows {
            let start = x + row * rowStride
            if factor == 0 {
                start.update(repeating: 0, count: columns)
            } else {
                for column in 0..<columns { start[column] *= factor }
            }
        }
    }

    private static func blasInt(_ value: Int) -> Int32 {
        precondition(value <= Int(Int32.max), "sgemm: dimension \(value) exceeds 32-bit BLAS")
        return Int32(value)
    }
}
