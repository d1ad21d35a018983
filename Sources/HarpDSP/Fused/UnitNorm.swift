import HarpTensor

/// Each row scaled to unit Euclidean norm, with the epsilon added to the norm:
///
///     y = x / (‖x‖₂ + ε)        along the last axis
///
/// One primitive instead of the five ops (square, sum, sqrt, add, divide) it replaces, so a
/// `[32, 2¹⁷]` row set costs two passes forward and two backward, and no `[rows, n]`
/// temporaries.
///
/// `passes` applies the normalisation that many times in one go (seed 001 normalises its
/// resonances twice). Every pass is a scale, so k passes are x / D_k(‖x‖) with
///
///     D₀ = 1,  D_k = ‖x‖ + ε·D_(k−1)        (D₁ = ‖x‖ + ε,  D₂ = ‖x‖ + ε(‖x‖ + ε))
///
/// and the pullback, with n = ‖x‖ and D′ = dD_k/dn = 1 + ε·D′_(k−1):
///
///     ∂L/∂x = g / D − x · (g·x) · D′ / (D² · n)
///
/// For an all-zero row the second term is taken as 0 (PyTorch's norm gives a zero gradient at
/// zero), so a zero row keeps a gradient of g / D and stays zero forward.
///
/// ref: matching-pursuit @57a2880 `modules/normalization.py` `unit_norm` (seed 001).
///
/// - Parameters:
///   - x: any shape `[..., n]`.
///   - epsilon: added to the norm (the seed's 1e-8).
///   - passes: how many times the normalisation is applied (at least 1).
/// - Returns: the same shape. Differentiable with respect to `x`.
public func unitNormalized(_ x: Tensor, epsilon: Float = 1e-8, passes: Int = 1) -> Tensor {
    precondition(x.rank >= 1, "unitNormalized needs at least one axis")
    precondition(passes >= 1, "unitNormalized needs at least one pass")
    let n = x.shape[x.rank - 1]
    let rows = n == 0 ? 0 : x.count / n
    let scales = UnitNorm.rowScales(x, rows: rows, n: n, epsilon: Double(epsilon), passes: passes)
    let result = Tensor(shape: x.shape) { out in
        x.withUnsafeBufferPointer { source in
            Parallel.forEachChunk(count: rows, minimumChunk: 1) { chunk in
                for row in chunk {
                    let scale = Float(1 / scales[row].divisor)
                    let input = source.baseAddress! + row * n, output = out.baseAddress! + row * n
                    for i in 0..<n { output[i] = input[i] * scale }
                }
            }
        }
    }
    return Tensor.recording("unitNormalized", result: result, inputs: [x]) { gradient in
        let gradientX = Tensor(shape: x.shape) { out in
            x.withUnsafeBufferPointer { source in
                gradient.withUnsafeBufferPointer { g in
                    Parallel.forEachChunk(count: rows, minimumChunk: 1) { chunk in
                        for row in chunk {
                            let input = source.baseAddress! + row * n, upstream = g.baseAddress! + row * n
                            let s = scales[row]
                            let dot = UnitNorm.sumOfProducts(upstream, input, count: n)
                            let inverse = Float(1 / s.divisor)
                            let along = s.norm > 0 ? Float(dot * s.slope / (s.divisor * s.divisor * s.norm)) : 0
                            let output = out.baseAddress! + row * n
                            for i in 0..<n { output[i] = upstream[i] * inverse - input[i] * along }
                        }
                    }
                }
            }
        }
        return [gradientX]
    }
}

/// The row reduction of `unitNormalized`.
enum UnitNorm {
    /// One row's norm n, divisor D_k(n) and its slope dD_k/dn, all in Double.
    struct RowScale {
        var norm: Double, divisor: Double, slope: Double
    }

    /// Per-row norms, rows spread over cores; sums in Double (2¹⁷ squares summed in Float would
    /// lose ~3 digits).
    static func rowScales(_ x: Tensor, rows: Int, n: Int, epsilon: Double, passes: Int) -> [RowScale] {
        var scales = [RowScale](repeating: RowScale(norm: 0, divisor: 1, slope: 0), count: rows)
        scales.withUnsafeMutableBufferPointer { scales in
            x.withUnsafeBufferPointer { source in
                Parallel.forEachChunk(count: rows, minimumChunk: 1) { chunk in
                    for row in chunk {
                        let start = source.baseAddress! + row * n
                        let norm = sumOfProducts(start, start, count: n).squareRoot()
                        var divisor = 1.0, slope = 0.0
                        for _ in 0..<passes {
                            slope = 1 + epsilon * slope
                            divisor = norm + epsilon * divisor
                        }
                        scales[row] = RowScale(norm: norm, divisor: divisor, slope: slope)
                    }
                }
            }
        }
        return scales
    }

    /// Σ a·b in Double, accumulated as Float over blocks of 256 values (8 SIMD lanes each) that
    /// are then added in Double: vector speed, and long rows keep their accuracy.
    static func sumOfProducts(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Double {
        typealias Lanes = SIMD8<Float>
        let width = Lanes.scalarCount, block = 256
        var total = 0.0, start = 0
        while start < count {
            let end = Swift.min(count, start + block)
            var lanes = Lanes()
            var i = start
            while i + width <= end {
                let x = UnsafeRawPointer(a + i).loadUnaligned(as: Lanes.self)
                let y = UnsafeRawPointer(b + i).loadUnaligned(as: Lanes.self)
                lanes.addProduct(x, y)
                i += width
            }
            var partial = Double(lanes.sum())
            while i < end { partial += Double(a[i]) * Double(b[i]); i += 1 }
            total += partial
            start = end
        }
        return total
    }
}
