/// Reductions along one axis of a contiguous tensor viewed as `[outer, n, inner]`.
enum ReductionKernel {
    /// `out[o, i] = Σₖ x[o, k, i]`.
    static func sum(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, outer: Int, n: Int, inner: Int) {
        if inner == 1 {
            sumRows(x, out, rows: outer, n: n)
        } else {
            Parallel.forEachChunk(count: outer, minimumChunk: Swift.max(1, (1 << 15) / Swift.max(n * inner, 1))) { range in
                for o in range {
                    let target = out + o * inner
                    target.initialize(repeating: 0, count: inner)
                    for k in 0..<n {
                        ElementwiseKernel.zipRange(Add(), target, 1, x + (o * n + k) * inner, 1, target, 0..<inner)
                    }
                }
            }
        }
    }

    /// Sums of contiguous rows; one long row is split across cores into partial sums.
    private static func sumRows(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, rows: Int, n: Int) {
        if rows == 1 && n >= ElementwiseKernel.parallelThreshold {
            let chunks = Parallel.threadCount
            var partial = [Float](repeating: 0, count: chunks)
            partial.withUnsafeMutableBufferPointer { partial in
                let size = (n + chunks - 1) / chunks
                Parallel.forEachChunk(count: chunks, minimumChunk: 1) { range in
                    for chunk in range {
                        let start = Swift.min(n, chunk * size), end = Swift.min(n, start + size)
                        partial[chunk] = rowSum(x + start, end - start)
                    }
                }
            }
            out[0] = partial.reduce(0, +)
            return
        }
        Parallel.forEachChunk(count: rows, minimumChunk: Swift.max(1, (1 << 15) / Swift.max(n, 1))) { range in
            for row in range { out[row] = rowSum(x + row * n, n) }
        }
    }

    /// Σ x[0..<n] with four 16-lane accumulators (more accurate and faster than one running sum).
    @inline(__always)
    static func rowSum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        var i = 0
        while i + 64 <= n {
            a0 += ElementwiseKernel.load(x + i); a1 += ElementwiseKernel.load(x + i + 16)
            a2 += ElementwiseKernel.load(x + i + 32); a3 += ElementwiseKernel.load(x + i + 48)
            i += 64
        }
        while i + 16 <= n { a0 += ElementwiseKernel.load(x + i); i += 16 }
        var total = ((a0 + a1) + (a2 + a3)).sum()
        while i < n { total += x[i]; i += 1 }
        return total
    }

    /// The largest (or, with `smallest`, the smallest) value along the axis and its first index.
    /// NaN wins, as in PyTorch.
    static func extreme(_ x: UnsafePointer<Float>, values: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int>,
                        outer: Int, n: Int, inner: Int, smallest: Bool) {
        Parallel.forEachChunk(count: outer * inner, minimumChunk: Swift.max(1, (1 << 15) / Swift.max(n, 1))) { range in
            for position in range {
                let o = position / inner, i = position % inner
                let base = x + o * n * inner + i
                var best = base[0], bestIndex = 0
                for k in 1..<Swift.max(n, 1) where !best.isNaN {
                    let value = base[k * inner]
                    if value.isNaN || (smallest ? value < best : value > best) { best = value; bestIndex = k }
                }
                values[position] = best
                indices[position] = bestIndex
            }
        }
    }
}
