import HarpTensor

/// Gradient clipping, as `torch.nn.utils.clip_grad_norm_` and `clip_grad_value_`. Parameters
/// without a gradient are skipped.
public enum GradientClipping {
    /// Which norm `clipNorm` measures.
    public enum Norm: Sendable {
        /// The Euclidean norm of all gradients concatenated.
        case l2
        /// The largest absolute gradient value.
        case infinity
    }

    /// Scales all gradients together so their joint norm is at most `maxNorm`, and returns the
    /// norm before clipping. As in torch, the scale is `min(1, maxNorm / (norm + 1e-6))`, in float32.
    @discardableResult
    public static func clipNorm(of parameters: [Tensor], maxNorm: Double, norm: Norm = .l2) -> Float {
        let gradients = parameters.compactMap(\.grad)
        let total = totalNorm(gradients, norm: norm)
        let scale = Swift.min(Float(maxNorm) / (total + 1e-6), 1)
        for gradient in gradients {
            gradient.withUnsafeMutableBufferPointer { values in
                for i in values.indices { values[i] *= scale }
            }
        }
        return total
    }

    /// Clamps every gradient value to `[-maxValue, maxValue]`.
    public static func clipValue(of parameters: [Tensor], maxValue: Float) {
        for gradient in parameters.compactMap(\.grad) {
            gradient.withUnsafeMutableBufferPointer { values in
                for i in values.indices { values[i] = Swift.min(Swift.max(values[i], -maxValue), maxValue) }
            }
        }
    }

    /// The joint norm of `gradients`, accumulated in `Double` (torch sums in float32 with
    /// pairwise reductions; a double sum is at least as close to the true value).
    static func totalNorm(_ gradients: [Tensor], norm: Norm) -> Float {
        var accumulated = 0.0
        for gradient in gradients {
            gradient.withUnsafeBufferPointer { values in
                switch norm {
                case .l2: for value in values { accumulated += Double(value) * Double(value) }
                case .infinity: for value in values { accumulated = Swift.max(accumulated, Double(abs(value))) }
                }
            }
        }
        return Float(norm == .l2 ? accumulated.squareRoot() : accumulated)
    }
}
