// Linear resampling along the last axis (`torch.nn.functional.interpolate(mode="linear")`).

extension Tensor {
    /// Linear interpolation of the last axis to `length` positions.
    ///
    /// Output position j reads source coordinate s(j) and mixes its two neighbours:
    /// - `alignCorners: false` (PyTorch's default): s = max(0, (j + ½)·n/length − ½), so sample
    ///   *areas* line up; the first and last samples are not kept exactly.
    /// - `alignCorners: true`: s = j·(n − 1)/(length − 1), so the end samples line up.
    ///
    /// Shapes `[…, n] → […, length]`. Pullback: each output gradient split between the two source
    /// positions with the same weights.
    public func interpolated(toLength length: Int, alignCorners: Bool = false) -> Tensor {
        precondition(rank >= 1 && shape[rank - 1] > 0 && length >= 0, "interpolated: shape \(shape) to \(length)")
        let n = shape[rank - 1]
        let taps = InterpolationTaps(sourceLength: n, length: length, alignCorners: alignCorners)
        var outShape = shape
        outShape[rank - 1] = length
        let rows = count / n
        let result = Tensor(shape: outShape) { out in
            withUnsafeBufferPointer { x in
                for row in 0..<rows {
                    for j in 0..<length {
                        let lower = x[row * n + taps.lower[j]], upper = x[row * n + taps.upper[j]]
                        out[row * length + j] = lower + taps.weight[j] * (upper - lower)
                    }
                }
            }
        }
        return Tensor.recording("interpolate_linear", result: result, inputs: [self]) { [shape] g in
            [Tensor(shape: shape) { dx in
                dx.update(repeating: 0)
                g.withUnsafeBufferPointer { gv in
                    for row in 0..<rows {
                        for j in 0..<length {
                            let w = taps.weight[j], gj = gv[row * length + j]
                            dx[row * n + taps.lower[j]] += (1 - w) * gj
                            dx[row * n + taps.upper[j]] += w * gj
                        }
                    }
                }
            }]
        }
    }
}

/// For each output position: the two source positions and the weight of the upper one.
struct InterpolationTaps {
    var lower: [Int] = []
    var upper: [Int] = []
    var weight: [Float] = []

    init(sourceLength n: Int, length: Int, alignCorners: Bool) {
        // PyTorch computes the scale and coordinates in Float for Float tensors; so do we, so that
        // the taps (and hence the outputs) agree to the last bit in the common cases.
        let scale: Float = alignCorners ? (length > 1 ? Float(n - 1) / Float(length - 1) : 0) : Float(n) / Float(length)
        for j in 0..<length {
            let source = alignCorners ? scale * Float(j) : Swift.max(0, scale * (Float(j) + 0.5) - 0.5)
            let i = Swift.min(Int(source), n - 1)
            lower.append(i)
            upper.append(Swift.min(i + 1, n - 1))
            weight.append(source - Float(i))
        }
    }
}
