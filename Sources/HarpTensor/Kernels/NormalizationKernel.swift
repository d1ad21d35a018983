/// Layer and RMS normalisation over contiguous rows of length `n`, and their pullbacks.
///
/// Per row, with μ the mean (0 for RMS normalisation), σ² = mean((x − μ)²) (biased) and
/// r = 1 / √(σ² + ε):
///
///     x̂ = (x − μ) · r,        y = x̂ · w + b
///
/// and, from the upstream gradient g,
///
///     dx = r · (g·w − mean(g·w) − x̂ · mean(g·w·x̂))     (RMS: without the mean(g·w) term)
///     dw = Σ_rows g · x̂,      db = Σ_rows g
///
/// ref: PyTorch `aten/src/ATen/native/cpu/layer_norm_kernel.cpp` (same statistics, eps inside
/// the square root, rstd saved for the pullback).
///
/// Each row is read from memory once per direction: its statistics and its output are computed
/// while it sits in L1. Row sums are taken as Float SIMD lanes over blocks of 256 values, the
/// blocks added in Double. The sums over rows for dw and db are taken in blocks of `blockRows`
/// rows (Float, row by row) whose partials are then added in Double in block order, so every
/// result is independent of the thread count (see `Parallel`).
enum NormalizationKernel {
    typealias Lanes = SIMD16<Float>

    /// Rows per block of the dw / db partial sums: small enough that Float partials stay accurate,
    /// large enough that the partials (2·n values per block) cost little memory.
    static let blockRows = 128

    // MARK: - Forward

    /// Writes `out` and each row's mean and reciprocal standard deviation (`mean` is 0 when not
    /// `centered`). `weight` and `bias` hold `n` values each, or are `nil` (1 and 0).
    static func forward(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?,
                        _ out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
                        rstd: UnsafeMutablePointer<Float>, rows: Int, n: Int, epsilon: Float, centered: Bool) {
        guard n > 0 else { return }
        Parallel.forEachChunk(count: rows, minimumChunk: Swift.max(1, Parallel.minimumWorkPerThread / n)) { range in
            for row in range {
                let source = x + row * n
                let (m, r) = statistics(source, n, epsilon: epsilon, centered: centered)
                mean[row] = m
                rstd[row] = r
                affine(source, weight, bias, out + row * n, n, mean: m, rstd: r)
            }
        }
    }

    /// The row's mean (0 unless `centered`) and 1 / √(σ² + ε), σ² the biased variance (or the
    /// mean square). Two passes over the row (the second from L1): no cancellation in σ².
    @inline(__always)
    static func statistics(_ x: UnsafePointer<Float>, _ n: Int, epsilon: Float, centered: Bool) -> (Float, Float) {
        let m = centered ? Float(blockedSum(n) { ElementwiseKernel.load(x + $0) } tail: { x[$0] } / Double(n)) : 0
        let shift = Lanes(repeating: m)
        let squares = blockedSum(n) { i in
            let d = ElementwiseKernel.load(x + i) - shift
            return d * d
        } tail: { i in
            let d = x[i] - m
            return d * d
        }
        let variance = squares / Double(n)
        return (m, Float(1 / (variance + Double(epsilon)).squareRoot()))
    }

    /// `out = (x − mean) · rstd · weight + bias` over one row.
    @inline(__always)
    static func affine(_ x: UnsafePointer<Float>, _ weight: UnsafePointer<Float>?, _ bias: UnsafePointer<Float>?,
                       _ out: UnsafeMutablePointer<Float>, _ n: Int, mean: Float, rstd: Float) {
        let m = Lanes(repeating: mean), r = Lanes(repeating: rstd)
        var i = 0
        switch (weight, bias) {
        case let (w?, b?):
            while i + 16 <= n {
                let y = (ElementwiseKernel.load(x + i) - m) * r
                ElementwiseKernel.store(y * ElementwiseKernel.load(w + i) + ElementwiseKernel.load(b + i), out + i)
                i += 16
            }
            while i < n { out[i] = (x[i] - mean) * rstd * w[i] + b[i]; i += 1 }
        case let (w?, nil):
            while i + 16 <= n {
                ElementwiseKernel.store((ElementwiseKernel.load(x + i) - m) * r * ElementwiseKernel.load(w + i), out + i)
                i += 16
            }
            while i < n { out[i] = (x[i] - mean) * rstd * w[i]; i += 1 }
        case let (nil, b?):
            while i + 16 <= n {
                ElementwiseKernel.store((ElementwiseKernel.load(x + i) - m) * r + ElementwiseKernel.load(b + i), out + i)
                i += 16
            }
            while i < n { out[i] = (x[i] - mean) * rstd + b[i]; i += 1 }
        case (nil, nil):
            while i + 16 <= n {
                ElementwiseKernel.store((ElementwiseKernel.load(x + i) - m) * r, out + i)
                i += 16
            }
            while i < n { out[i] = (x[i] - mean) * rstd; i += 1 }
        }
    }

    // MARK: - Pullback

    /// The gradients for `x` (into `dx`), `weight` (into `dWeight`) and `bias` (into `dBias`),
    /// each skipped when its pointer is `nil`, from the upstream gradient `g` and the forward's
    /// saved `mean` and `rstd`.
    static func pullback(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>?,
                         mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
                         dx: UnsafeMutablePointer<Float>?, dWeight: UnsafeMutablePointer<Float>?,
                         dBias: UnsafeMutablePointer<Float>?, rows: Int, n: Int, centered: Bool) {
        guard n > 0 else { return }
        let parameterCount = (dWeight == nil ? 0 : 1) + (dBias == nil ? 0 : 1)
        let blockCount = (rows + blockRows - 1) / blockRows
        // Per block: n partial sums for dw, then n for db (at least one value, so the pointer exists).
        var partials = [Float](repeating: 0, count: parameterCount > 0 ? Swift.max(1, blockCount * 2 * n) : 1)
        partials.withUnsafeMutableBufferPointer { partials in
            let minimumBlocks = Swift.max(1, Parallel.minimumWorkPerThread / (blockRows * n))
            Parallel.forEachChunk(count: blockCount, minimumChunk: minimumBlocks) { blocks in
                for block in blocks {
                    let partialWeight = parameterCount > 0 ? partials.baseAddress! + block * 2 * n : nil
                    for row in (block * blockRows)..<Swift.min(rows, (block + 1) * blockRows) {
                        pullbackRow(g + row * n, x + row * n, weight, mean: mean[row], rstd: rstd[row],
                                    dx: dx.map { $0 + row * n },
                                    dWeight: dWeight == nil ? nil : partialWeight,
                                    dBias: dBias == nil ? nil : partialWeight.map { $0 + n },
                                    n: n, centered: centered)
                    }
                }
            }
            if let dWeight { sumBlocks(partials.baseAddress!, offset: 0, into: dWeight, blockCount: blockCount, n: n) }
            if let dBias { sumBlocks(partials.baseAddress!, offset: n, into: dBias, blockCount: blockCount, n: n) }
        }
    }

    /// One row of the pullback: adds g·x̂ into `dWeight` and g into `dBias` (the block's
    /// partials) and writes `dx`. The first pass, the row's only read from memory, gathers every
    /// sum; the second writes `dx` from L1.
    @inline(__always)
    static func pullbackRow(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ weight: UnsafePointer<Float>?,
                            mean: Float, rstd: Float, dx: UnsafeMutablePointer<Float>?,
                            dWeight: UnsafeMutablePointer<Float>?, dBias: UnsafeMutablePointer<Float>?,
                            n: Int, centered: Bool) {
        typealias Kernel = ElementwiseKernel
        let m = Lanes(repeating: mean), r = Lanes(repeating: rstd)
        // g·w at i (SIMD and scalar).
        @inline(__always) func gw(_ i: Int) -> Lanes {
            weight.map { Kernel.load(g + i) * Kernel.load($0 + i) } ?? Kernel.load(g + i)
        }
        @inline(__always) func gw(scalar i: Int) -> Float { weight.map { g[i] * $0[i] } ?? g[i] }

        // Σ g·w and Σ g·w·x̂: Float lanes over blocks of 256 values, the blocks added in Double.
        var sumGW = 0.0, sumGWX = 0.0
        let vectorEnd = n - n % 16
        var start = 0
        while start < vectorEnd {
            let end = Swift.min(vectorEnd, start + 256)
            var lanesGW = Lanes(), lanesGWX = Lanes()
            var i = start
            while i < end {
                let gv = Kernel.load(g + i), xhat = (Kernel.load(x + i) - m) * r
                let gwv = weight.map { gv * Kernel.load($0 + i) } ?? gv
                lanesGW += gwv
                lanesGWX += gwv * xhat
                if let dWeight { Kernel.store(Kernel.load(dWeight + i) + gv * xhat, dWeight + i) }
                if let dBias { Kernel.store(Kernel.load(dBias + i) + gv, dBias + i) }
                i += 16
            }
            sumGW += Double(lanesGW.sum())
            sumGWX += Double(lanesGWX.sum())
            start = end
        }
        var restGW: Float = 0, restGWX: Float = 0
        for i in vectorEnd..<n {
            let xhat = (x[i] - mean) * rstd
            restGW += gw(scalar: i)
            restGWX += gw(scalar: i) * xhat
            dWeight?[i] += g[i] * xhat
            dBias?[i] += g[i]
        }
        guard let dx else { return }
        let a = centered ? Float((sumGW + Double(restGW)) / Double(n)) : 0
        let b = Float((sumGWX + Double(restGWX)) / Double(n))
        let av = Lanes(repeating: a), bv = Lanes(repeating: b)
        var i = 0
        while i + 16 <= n {
            let xhat = (Kernel.load(x + i) - m) * r
            Kernel.store(r * (gw(i) - av - xhat * bv), dx + i)
            i += 16
        }
        while i < n {
            dx[i] = rstd * (gw(scalar: i) - a - (x[i] - mean) * rstd * b)
            i += 1
        }
    }

    /// `out[i] = Σ_blocks partials[block · 2n + offset + i]`, added in Double in block order.
    static func sumBlocks(_ partials: UnsafePointer<Float>, offset: Int, into out: UnsafeMutablePointer<Float>,
                          blockCount: Int, n: Int) {
        var totals = [Double](repeating: 0, count: n)
        for block in 0..<blockCount {
            let source = partials + block * 2 * n + offset
            for i in 0..<n { totals[i] += Double(source[i]) }
        }
        for i in 0..<n { out[i] = Float(totals[i]) }
    }

    // MARK: - Row sums

    /// Σ term(i) for i < n: 16-lane Float sums over blocks of 256 values, the blocks added in
    /// Double; `tail` gives the scalar terms past the last multiple of 16.
    @inline(__always)
    static func blockedSum(_ n: Int, _ term: (Int) -> Lanes, tail: (Int) -> Float) -> Double {
        let block = 256
        var total = 0.0, start = 0
        let vectorEnd = n - n % 16
        while start < vectorEnd {
            let end = Swift.min(vectorEnd, start + block)
            var lanes0 = Lanes(), lanes1 = Lanes()
            var i = start
            while i + 32 <= end {
                lanes0 += term(i)
                lanes1 += term(i + 16)
                i += 32
            }
            if i < end { lanes0 += term(i) }
            total += Double((lanes0 + lanes1).sum())
            start = end
        }
        var rest: Float = 0
        for i in vectorEnd..<n { rest += tail(i) }
        return total + Double(rest)
    }
}
