/// Which direction of a discrete Fourier transform pair carries the scale factor.
///
/// ref: PyTorch `torch.fft.rfft` / `irfft` `norm` argument (same names, same meaning).
public enum FFTNormalization: String, Sendable, CaseIterable {
    /// Forward unscaled, inverse scaled by `1/n` (PyTorch's default).
    case backward
    /// Both directions scaled by `1/√n`, making the transform unitary.
    case ortho
    /// Forward scaled by `1/n`, inverse unscaled.
    case forward

    /// The factor applied to the output of a transform of length `n`.
    public func scale(length n: Int, inverse: Bool) -> Float {
        switch (self, inverse) {
        case (.backward, false), (.forward, true): return 1
        case (.backward, true), (.forward, false): return Float(1.0 / Double(n))
        case (.ortho, _): return Float(1.0 / Double(n).squareRoot())
        }
    }
}
