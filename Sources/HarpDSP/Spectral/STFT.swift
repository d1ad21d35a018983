import HarpTensor

/// The short-time Fourier transform of each row, in PyTorch's layout (frequency before frames):
///
///     X[r, k, f] = scale · Σ_j w[j] · x̃[r, f·hop + j] · e^(−2πi·k·j/nFFT)
///
/// where x̃ is the row padded by nFFT/2 on both sides when `center` is on (`padMode`, reflect by
/// default), and w is `window` (length `windowLength`) zero-padded on both sides to nFFT, centred.
/// The frame count is 1 + ⌊(len(x̃) − nFFT) / hop⌋. `scale` is 1, or 1/√nFFT when `normalized`.
///
/// ref: `torch.stft(x, n_fft, hop_length, win_length, window, center, pad_mode, normalized,
/// onesided, return_complex=True)` followed by `torch.view_as_real` (same defaults: hop = nFFT/4,
/// windowLength = nFFT, a rectangular window when `window` is nil).
///
/// - Parameters:
///   - signal: `[..., samples]` (any leading axes, typically `[rows, samples]`).
///   - window: `[windowLength]`, a constant (not differentiated), e.g. `Windows.hann(windowLength)`.
///   - padMode: how `center` pads (`.reflect` needs samples > nFFT/2).
///   - onesided: nFFT/2 + 1 bins (real input's half spectrum) or all nFFT bins.
/// - Returns: `[..., bins, frames, 2]` (complex as a trailing axis: real, imaginary).
///   Differentiable with respect to `signal`.
public func stft(_ signal: Tensor, nFFT: Int, hop: Int? = nil, windowLength: Int? = nil, window: Tensor? = nil,
                 center: Bool = true, padMode: PaddingMode = .reflect, normalized: Bool = false,
                 onesided: Bool = true) -> Tensor {
    precondition(signal.rank >= 1, "stft needs [..., samples], got \(signal.shape)")
    precondition(nFFT >= 1, "stft: nFFT must be ≥ 1")
    let hop = hop ?? nFFT / 4
    let windowLength = windowLength ?? window?.shape[0] ?? nFFT
    precondition(hop >= 1, "stft: hop must be ≥ 1")
    precondition(windowLength >= 1 && windowLength <= nFFT, "stft: window length \(windowLength) must be in 1…\(nFFT)")
    let window = window ?? Tensor.ones([windowLength])
    precondition(window.shape == [windowLength], "stft: window shape \(window.shape) ≠ [\(windowLength)]")

    let leading = Array(signal.shape.dropLast())
    var rows = signal.reshaped([-1, signal.shape[signal.rank - 1]])
    if center {
        rows = rows.padded(alongAxis: 1, before: nFFT / 2, after: nFFT / 2, mode: padMode)
    }
    let paddedLength = rows.shape[1]
    precondition(paddedLength >= nFFT, "stft: \(paddedLength) samples (after padding) are fewer than nFFT = \(nFFT)")
    let frameCount = 1 + (paddedLength - nFFT) / hop
    let spectrum = framedSpectrum(rows, window: centredWindow(window, length: nFFT), hop: hop, frameCount: frameCount,
                                  normalization: normalized ? .ortho : .backward)
    var result = spectrum.permuted([0, 2, 1, 3])   // [rows, frames, bins, 2] → [rows, bins, frames, 2]
    if !onesided { result = twoSided(result, nFFT: nFFT) }
    return result.reshaped(leading + Array(result.shape.dropFirst()))
}

/// `window` zero-padded on both sides to `length`, left padding ⌊(length − n)/2⌋ (as torch.stft).
func centredWindow(_ window: Tensor, length: Int) -> Tensor {
    let n = window.shape[0]
    if n == length { return window }
    let left = (length - n) / 2
    return withoutGradients { window.padded(alongAxis: 0, before: left, after: length - n - left) }
}

/// The full spectrum `[rows, nFFT, frames, 2]` from a real signal's half spectrum
/// `[rows, nFFT/2 + 1, frames, 2]`: bin k > nFFT/2 is the conjugate of bin nFFT − k.
private func twoSided(_ half: Tensor, nFFT: Int) -> Tensor {
    let upper = Array(stride(from: nFFT - (nFFT / 2 + 1), through: 1, by: -1))
    guard !upper.isEmpty else { return half }
    let conjugate = half.gathered(indices: upper, alongAxis: 1) * Tensor([1, -1])
    return Tensor.concatenated([half, conjugate], alongAxis: 1)
}

// MARK: - Magnitudes

/// |X| of a complex spectrum `[..., 2]` → `[...]` (gradient 0 where X = 0, as PyTorch's `abs`).
public func stftMagnitude(_ spectrum: Tensor) -> Tensor {
    complexMagnitude(spectrum)
}

/// |X|² = re² + im² of a complex spectrum `[..., 2]` → `[...]`.
public func stftPower(_ spectrum: Tensor) -> Tensor {
    spectrum.square().sum(alongAxis: -1)
}

/// √max(|X|², ε): the magnitude with a floor, finite gradient everywhere (auraloss's `STFTLoss.stft`
/// uses ε = 1e-8). `[..., 2]` → `[...]`.
public func stftClampedMagnitude(_ spectrum: Tensor, minimumPower epsilon: Float = 1e-8) -> Tensor {
    stftPower(spectrum).clamped(min: epsilon).sqrt()
}

/// ln √max(|X|², ε) = ½ ln max(|X|², ε), the log magnitude with a floor at ½ ln ε. `[..., 2]` → `[...]`.
public func stftLogMagnitude(_ spectrum: Tensor, minimumPower epsilon: Float = 1e-8) -> Tensor {
    stftPower(spectrum).clamped(min: epsilon).log() * 0.5
}
