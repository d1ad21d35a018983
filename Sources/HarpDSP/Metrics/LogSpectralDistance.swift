import Foundation
import HarpTensor

/// Log-spectral distance in dB, per row (lower is better; 0 for identical signals):
///
///     P = |STFT(x)|²,  Q = |STFT(s)|²      (periodic Hann window, centred reflect padding)
///     D[k, f] = 10 · log₁₀( (P[k, f] + ε) / (Q[k, f] + ε) )
///     LSD = mean over frames f of √( mean over bins k of D[k, f]² + δ )
///
/// i.e. the RMS over frequency of the power ratio in dB, averaged over frames. ε = 1e-10 keeps
/// silent bins finite (it floors both spectra at −100 dB re 1); δ = 1e-12 dB² only keeps the
/// gradient of the square root finite when the two frames are identical (it adds at most 1e-6 dB).
///
/// ref: the usual definition in bandwidth extension papers (e.g. Kuleshov et al. 2017, "Audio
/// super resolution using neural networks"): RMS over frequency of log power differences, mean over
/// frames); here in dB (10·log₁₀) with the ε and δ stated above.
///
/// - Parameters:
///   - estimate: x, `[..., samples]`.
///   - reference: s, the same shape.
/// - Returns: `[...]` (the leading axes). Differentiable with respect to both.
public func logSpectralDistance(_ estimate: Tensor, _ reference: Tensor, nFFT: Int = 2048, hop: Int = 512,
                                windowLength: Int? = nil, epsilon: Float = 1e-10) -> Tensor {
    precondition(estimate.shape == reference.shape && estimate.rank >= 1,
                 "logSpectralDistance: \(estimate.shape) vs \(reference.shape)")
    let windowLength = windowLength ?? nFFT
    func power(_ signal: Tensor) -> Tensor {
        stftPower(stft(signal, nFFT: nFFT, hop: hop, windowLength: windowLength, window: Windows.hann(windowLength)))
    }
    // [..., bins, frames]
    let decibels = ((power(estimate) + epsilon).log() - (power(reference) + epsilon).log()) * Float(10 / M_LN10)
    let rootMeanSquare = (decibels.square().mean(alongAxis: -2) + 1e-12).sqrt()
    return rootMeanSquare.mean(alongAxis: -1)
}
