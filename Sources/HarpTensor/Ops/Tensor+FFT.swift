/// Real FFTs along the last axis, with complex values stored as a trailing axis of size 2
/// (`[..., bins, 2]`, PyTorch's `view_as_real` layout).
///
/// ref: `torch.fft.rfft` / `torch.fft.irfft` (`norm` = "backward" | "ortho" | "forward").
extension Tensor {
    /// The half spectrum of each row: `[..., n]` → `[..., n/2 + 1, 2]`.
    public func rfft(normalization: FFTNormalization = .backward) -> Tensor {
        precondition(rank >= 1 && shape[rank - 1] >= 1, "rfft needs a non-empty last axis, got \(shape)")
        let n = shape[rank - 1]
        let rows = count / n
        let bins = n / 2 + 1
        let result = Tensor(shape: Array(shape.dropLast()) + [bins, 2]) { out in
            withUnsafeBufferPointer { input in
                FFTKernels.rfft(input.baseAddress!, batchCount: rows, n: n, output: out.baseAddress!,
                                normalization: normalization)
            }
        }
        return Tensor.recording("rfft", result: result, inputs: [self]) { gradient in
            [gradient.rfftAdjoint(length: n, normalization: normalization)]
        }
    }

    /// The real signals of length `length` whose half spectra are the rows: `[..., bins, 2]` → `[..., length]`.
    /// As in PyTorch, the imaginary parts of the DC and Nyquist bins are ignored.
    public func irfft(length: Int, normalization: FFTNormalization = .backward) -> Tensor {
        precondition(rank >= 2 && shape[rank - 1] == 2, "irfft needs [..., bins, 2], got \(shape)")
        precondition(shape[rank - 2] == length / 2 + 1, "irfft: \(shape[rank - 2]) bins do not make \(length) samples")
        let rows = count / (2 * shape[rank - 2])
        let result = Tensor(shape: Array(shape.dropLast(2)) + [length]) { out in
            withUnsafeBufferPointer { input in
                FFTKernels.irfft(input.baseAddress!, batchCount: rows, n: length, output: out.baseAddress!,
                                 normalization: normalization)
            }
        }
        return Tensor.recording("irfft", result: result, inputs: [self]) { gradient in
            [gradient.irfftAdjoint(normalization: normalization)]
        }
    }

    /// The adjoint of `rfft` applied to a half-spectrum gradient `[..., bins, 2]`:
    /// x̄[t] = scale · Re Σ_{k ≤ n/2} Ḡ[k]·e^(+2πikt/n). The inverse real FFT sums each interior
    /// bin twice (for its conjugate partner), so interior bins are halved before it.
    /// Public so that fused primitives built on `rfft` (framed spectra, STFTs) can write their pullbacks.
    public func rfftAdjoint(length n: Int, normalization: FFTNormalization) -> Tensor {
        let bins = shape[rank - 2]
        let rows = count / (2 * bins)
        let forwardScale = normalization.scale(length: n, inverse: false)
        let halved = Tensor(shape: shape) { out in
            withUnsafeBufferPointer { g in
                for row in 0..<rows {
                    for k in 0..<bins {
                        let interior = k > 0 && !(n % 2 == 0 && k == n / 2)
                        let factor = interior ? forwardScale / 2 : forwardScale
                        let i = 2 * (row * bins + k)
                        out[i] = g[i] * factor
                        out[i + 1] = g[i + 1] * factor
                    }
                }
            }
        }
        return Tensor(shape: Array(shape.dropLast(2)) + [n]) { out in
            halved.withUnsafeBufferPointer { input in
                FFTKernels.irfft(input.baseAddress!, batchCount: rows, n: n, output: out.baseAddress!,
                                 normalization: .forward)   // .forward leaves the inverse unscaled
            }
        }
    }

    /// The adjoint of `irfft` applied to a signal gradient `[..., n]`: the forward real FFT scaled
    /// by the inverse's scale, with interior bins doubled (each stands for itself and its
    /// conjugate partner) and the ignored imaginary parts of DC and Nyquist given zero gradient:
    /// x[t] = c·(Re Y₀ + Σ 2·Re(Y_k e^(iθ)) + …) gives Ȳ_k = 2c·rfft(x̄)_k for interior bins.
    func irfftAdjoint(normalization: FFTNormalization) -> Tensor {
        let n = shape[rank - 1]
        let inverseScale = normalization.scale(length: n, inverse: true)
        let spectrum = withoutGradients { rfft(normalization: .backward) }
        let bins = n / 2 + 1
        let rows = count / n
        spectrum.withUnsafeMutableBufferPointer { s in
            for row in 0..<rows {
                for k in 0..<bins {
                    let isEdge = k == 0 || (n % 2 == 0 && k == n / 2)
                    let i = 2 * (row * bins + k)
                    s[i] *= isEdge ? inverseScale : 2 * inverseScale
                    // ∂x/∂Im Y = −2c·sin θ and Im rfft(g) = −Σ g·sin θ, so the signs cancel.
                    s[i + 1] = isEdge ? 0 : 2 * inverseScale * s[i + 1]
                }
            }
        }
        return spectrum
    }
}
