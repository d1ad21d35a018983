import Foundation

/// Row-wise softmax, log-softmax and log-sum-exp over contiguous rows of length `n`, and their
/// pullbacks. Stable: each row is shifted by its maximum before exponentiating.
enum SoftmaxKernel {
    enum Output { case softmax, logSoftmax }

    /// The largest value of a row, and the shift that makes the exponentials safe: the maximum,
    /// or 0 when it is infinite (all −∞ rows then give log-sum-exp −∞ instead of NaN).
    @inline(__always)
    static func shift(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var best = SIMD16<Float>(repeating: -.infinity)
        var i = 0
        // `replace(where:)` compiles to compare-and-blend; `pointwiseMax` goes lane by lane.
        while i + 16 <= n {
            let v = ElementwiseKernel.load(x + i)
            best.replace(with: v, where: v .> best)
            i += 16
        }
        var m = best.max()
        while i < n { m = Swift.max(m, x[i]); i += 1 }
        return m.isFinite ? m : 0
    }

    /// `out[i] = e^{x[i] − m}` and returns Σ out.
    @inline(__always)
    static func exponentials(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int, minus m: Float) -> Float {
        var sum = SIMD16<Float>()
        let shift = SIMD16<Float>(repeating: m)
        var i = 0
        while i + 16 <= n {
            let e = VectorMath.exp(ElementwiseKernel.load(x + i) - shift)
            ElementwiseKernel.store(e, out + i)
            sum += e
            i += 16
        }
        var total = sum.sum()
        while i < n { out[i] = Foundation.exp(x[i] - m); total += out[i]; i += 1 }
        return total
    }

    static func forward(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, rows: Int, n: Int, output: Output) {
        Parallel.forEachChunk(count: rows, minimumChunk: Swift.max(1, (1 << 15) / Swift.max(n, 1))) { range in
            for row in range {
                let source = x + row * n, target = out + row * n
                let m = shift(source, n)
                let total = exponentials(source, target, n, minus: m)
                switch output {
                case .softmax:
                    let scale = 1 / total
                    ElementwiseKernel.zipRange(Multiply(), target, 1, [scale], 0, target, 0..<n)
                case .logSoftmax:
                    let logTotal = m + Foundation.log(total)
                    ElementwiseKernel.zipRange(Subtract(), source, 1, [logTotal], 0, target, 0..<n)
                }
            }
        }
    }

    /// `out[row] = log Σ e^{x[row, i]}`.
    static func logSumExp(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, rows: Int, n: Int) {
        Parallel.forEachChunk(count: rows, minimumChunk: Swift.max(1, (1 << 15) / Swift.max(n, 1))) { range in
            var scratch = [Float](repeating: 0, count: n)
            for row in range {
                let m = shift(x + row * n, n)
                let total = scratch.withUnsafeMutableBufferPointer { exponentials(x + row * n, $0.baseAddress!, n, minus: m) }
                out[row] = m + Foundation.log(total)
            }
        }
    }

    /// Softmax pullback from the output y: `dx = y ⊙ (g − Σ g⊙y)` per row.
    /// Log-softmax pullback from the output y: `dx = g − e^y Σ g` per row.
    static func pullback(_ g: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                         rows: Int, n: Int, output: Output) {
        Parallel.forEachChunk(count: rows, minimumChunk: Swift.max(1, (1 << 15) / Swift.max(n, 1))) { range in
            for row in range {
                let gr = g + row * n, yr = y + row * n, d = dx + row * n
                switch output {
                case .softmax:
                    ElementwiseKernel.zipRange(Multiply(), gr, 1, yr, 1, d, 0..<n)
                    let dot = ReductionKernel.rowSum(d, n)
                    // y·g − y·dot
                    for i in 0..<n { d[i] -= yr[i] * dot }
                case .logSoftmax:
                    let total = ReductionKernel.rowSum(gr, n)
                    for i in 0..<n { d[i] = gr[i] - Foundation.exp(yr[i]) * total }
                }
            }
        }
    }
}
