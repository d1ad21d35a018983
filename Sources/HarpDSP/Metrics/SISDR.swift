import Foundation
import HarpTensor

/// Scale-invariant signal-to-distortion ratio in dB, per row (higher is better):
///
///     x ← x − mean(x), s ← s − mean(s)          (only when `zeroMean`)
///     α = ⟨x, s⟩ / (‖s‖² + ε),  t = α·s,  e = x − t
///     SI-SDR = 10 · log₁₀( ‖t‖² / (‖e‖² + ε) + ε )
///
/// This is exactly auraloss's `SISDRLoss` formula (with the sign flipped: auraloss returns the
/// negative as a loss), zero mean and ε = 1e-8 by default as there. torchmetrics'
/// `scale_invariant_signal_distortion_ratio` differs only in where ε enters and defaults to
/// `zero_mean=False`.
///
/// ref: Le Roux et al. 2019, "SDR — half-baked or well done?" (arXiv:1811.02508); auraloss 0.4.0
/// `auraloss/time.py` `SISDRLoss`.
///
/// - Parameters:
///   - estimate: x, `[..., samples]`.
///   - reference: s, the same shape.
/// - Returns: `[...]` (the leading axes). Differentiable with respect to both.
public func scaleInvariantSDR(_ estimate: Tensor, _ reference: Tensor, zeroMean: Bool = true,
                              epsilon: Float = 1e-8) -> Tensor {
    precondition(estimate.shape == reference.shape && estimate.rank >= 1,
                 "scaleInvariantSDR: \(estimate.shape) vs \(reference.shape)")
    var x = estimate, s = reference
    if zeroMean {
        x = x - x.mean(alongAxis: -1, keepDims: true)
        s = s - s.mean(alongAxis: -1, keepDims: true)
    }
    let alpha = (x * s).sum(alongAxis: -1, keepDims: true) / (s.square().sum(alongAxis: -1, keepDims: true) + epsilon)
    let projection = alpha * s
    let residual = x - projection
    let ratio = projection.square().sum(alongAxis: -1) / (residual.square().sum(alongAxis: -1) + epsilon)
    return (ratio + epsilon).log() * Float(10 / M_LN10)
}
