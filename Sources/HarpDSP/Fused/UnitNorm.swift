import HarpTensor

/// Each row scaled to unit Euclidean norm, with the epsilon added to the norm:
///
///     y = x / (‖x‖₂ + ε)        along the last axis
///
/// One primitive instead of the five ops (square, sum, sqrt, add, divide) it replaces, so a
/// `[32, 2¹⁷]` row set costs two passes forward and two backward, and no `[rows, n]`
/// temporaries. The pullback, with d = ‖x‖ + ε:
///
///     ∂L/∂x = g / d − x · (g·x) / (d² · ‖x‖)
///
/// For an all-zero row the second term is taken as 0 (PyTorch's norm gives a zero gradient at
/// zero), so a zero row keeps a gradient of g / ε and stays zero forward.
///
/// ref: matching-pursuit @57a2880 `modules/normalization.py` `unit_norm` (seed 001).
///
/// - Parameters:
///   - x: any shape `[..., n]`.
///   - epsilon: added to the norm (the seed's 1e-8).
/// - Returns: the same shape. Differentiable with respect to `x`.
public func unitNormalized(_ x: Tensor, epsilon: Float = 1e-8) -> Tensor {
    precondition(x.rank >= 1, "unitNormalized needs at least one axis")
    let n = x.shape[x.rank - 1]
    let rows = n == 0 ? 0 : x.count / n
    // Per-row norms in Double: 2¹⁷ squares summed in Float would lose ~3 digits.
    let norms: [Float] = x.withUnsafeBufferPointer { source in
        (0..<rows).map { row in Float(UnitNorm.sumOfProducts(source.baseAddress! + row * n, source.baseAddress! + row * n, count: n).squareRoot()) }
    }
    let result = Tensor(shape: x.shape) { out in
        x.withUnsafeBufferPointer { source in
            Parallel.forEachChunk(count: rows, minimumChunk: 1) { chunk in
                for row in chunk {
                    let divisor = norms[row] + epsilon
                    let input = source.baseAddress! + row * n, output = out.baseAddress! + row * n
                    for i in 0..<n { output[i] = input[i] / divisor }
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
                            let norm = norms[row], divisor = norm + epsilon
                            let dot = UnitNorm.sumOfProducts(upstream, input, count: n)
                            let along = norm > 0 ? Float(dot / (Double(divisor) * Double(divisor) * Double(norm))) : 0
                            let output = out.baseAddress! + row * n
                            for i in 0..<n { output[i] = upstream[i] / divisor - input[i] * along }
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
