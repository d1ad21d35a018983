// Layer and RMS normalisation over the last axes, each one primitive with its own pullback
// (`NormalizationKernel`): one pass over the values forward and one backward, instead of the
// eight or so allocating ops of the composite.

extension Tensor {
    /// Layer normalisation over the last `normalizedShape.count` axes (`F.layer_norm`):
    ///
    ///     y = (x − mean) / √(var + ε) · weight + bias
    ///
    /// with the mean and the biased variance taken over those axes.
    ///
    /// - Parameters:
    ///   - normalizedShape: the trailing axes normalised together; the input is `[…, normalizedShape…]`.
    ///   - weight: `normalizedShape`, or `nil` for 1.
    ///   - bias: `normalizedShape`, or `nil` for 0.
    ///   - epsilon: added to the variance inside the square root.
    /// - Returns: the input's shape. Differentiable with respect to the input, `weight` and `bias`.
    public func layerNorm(normalizedShape: [Int], weight: Tensor? = nil, bias: Tensor? = nil,
                          epsilon: Float = 1e-5) -> Tensor {
        normalized(normalizedShape, weight: weight, bias: bias, epsilon: epsilon, centered: true, name: "layer_norm")
    }

    /// Root-mean-square normalisation over the last `normalizedShape.count` axes (`F.rms_norm`):
    ///
    ///     y = x / √(mean(x²) + ε) · weight
    ///
    /// - Parameters:
    ///   - normalizedShape: the trailing axes normalised together; the input is `[…, normalizedShape…]`.
    ///   - weight: `normalizedShape`, or `nil` for 1.
    ///   - epsilon: added to the mean square inside the square root; PyTorch's `eps=None` is
    ///     Float32's machine epsilon, the default here.
    /// - Returns: the input's shape. Differentiable with respect to the input and `weight`.
    public func rmsNorm(normalizedShape: [Int], weight: Tensor? = nil, epsilon: Float = Float.ulpOfOne) -> Tensor {
        normalized(normalizedShape, weight: weight, bias: nil, epsilon: epsilon, centered: false, name: "rms_norm")
    }

    private func normalized(_ normalizedShape: [Int], weight: Tensor?, bias: Tensor?, epsilon: Float,
                            centered: Bool, name: String) -> Tensor {
        precondition(Array(shape.suffix(normalizedShape.count)) == normalizedShape,
                     "\(name): input \(shape) does not end in \(normalizedShape)")
        for parameter in [weight, bias].compactMap({ $0 }) {
            precondition(parameter.shape == normalizedShape,
                         "\(name): parameter \(parameter.shape) is not the normalised shape \(normalizedShape)")
        }
        let n = Shape.count(normalizedShape), rows = n == 0 ? 0 : count / n
        let statistics = NormalizationStatistics(rows: rows)
        let result = Tensor(shape: shape) { out in
            guard count > 0 else { return }
            withUnsafeBufferPointer { x in
                withOptionalPointers(weight, bias) { w, b in
                    NormalizationKernel.forward(x.baseAddress!, weight: w, bias: b, out.baseAddress!,
                                                mean: statistics.mean, rstd: statistics.rstd,
                                                rows: rows, n: n, epsilon: epsilon, centered: centered)
                }
            }
        }
        let inputs = [self] + [weight, bias].compactMap { $0 }
        return Tensor.recording(name, result: result, inputs: inputs) { [self] g in
            // Every value of each gradient is written by the kernel (dw and db as zeros when there are no rows).
            func uninitialized(_ shape: [Int]) -> Tensor { Tensor(shape: shape, storage: TensorStorage(uninitializedCount: Shape.count(shape))) }
            let dx = requiresGradient ? uninitialized(shape) : nil
            let dWeight = weight.flatMap { $0.requiresGradient ? uninitialized($0.shape) : nil }
            let dBias = bias.flatMap { $0.requiresGradient ? uninitialized($0.shape) : nil }
            withUnsafeBufferPointer { x in
                g.withUnsafeBufferPointer { gv in
                    withOptionalPointers(weight, nil) { w, _ in
                        withOptionalMutablePointers(dx, dWeight, dBias) { dxp, dwp, dbp in
                            NormalizationKernel.pullback(gv.baseAddress!, x.baseAddress!, weight: w,
                                                         mean: statistics.mean, rstd: statistics.rstd,
                                                         dx: dxp, dWeight: dwp, dBias: dbp,
                                                         rows: rows, n: n, centered: centered)
                        }
                    }
                }
            }
            return [dx] + (weight == nil ? [] : [dWeight]) + (bias == nil ? [] : [dBias])
        }
    }
}

/// Each row's mean and reciprocal standard deviation, kept from the forward pass for the pullback.
private final class NormalizationStatistics {
    let mean: UnsafeMutablePointer<Float>
    let rstd: UnsafeMutablePointer<Float>

    init(rows: Int) {
        mean = .allocate(capacity: Swift.max(rows, 1))
        rstd = .allocate(capacity: Swift.max(rows, 1))
    }

    deinit {
        mean.deallocate()
        rstd.deallocate()
    }
}

/// Calls `body` with the values of `a` and `b`, `nil` for an absent tensor.
private func withOptionalPointers<Result>(
    _ a: Tensor?, _ b: Tensor?, _ body: (UnsafePointer<Float>?, UnsafePointer<Float>?) -> Result
) -> Result {
    func pointer(_ t: Tensor?) -> UnsafePointer<Float>? { t.map { UnsafePointer($0.storage.baseAddress + $0.offset) } }
    return withExtendedLifetime((a, b)) { body(pointer(a), pointer(b)) }
}

/// Calls `body` with writable values of `a`, `b` and `c`, `nil` for an absent tensor.
private func withOptionalMutablePointers<Result>(
    _ a: Tensor?, _ b: Tensor?, _ c: Tensor?,
    _ body: (UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?) -> Result
) -> Result {
    func pointer(_ t: Tensor?) -> UnsafeMutablePointer<Float>? { t.map { $0.storage.baseAddress + $0.offset } }
    return withExtendedLifetime((a, b, c)) { body(pointer(a), pointer(b), pointer(c)) }
}
