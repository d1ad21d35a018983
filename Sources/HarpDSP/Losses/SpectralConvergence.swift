import HarpTensor

/// Spectral convergence: ‖Y − X‖_F / ‖Y‖_F over every value of the two magnitude spectrograms
/// (the whole batch at once, not per row), a scalar.
///
/// ref: Arik et al. 2018, "Fast spectrogram inversion using multi-head convolutional neural
/// networks"; auraloss `SpectralConvergenceLoss` (`torch.norm(y_mag - x_mag, p="fro") / torch.norm(y_mag, p="fro")`).
///
/// - Parameters:
///   - input: X, magnitudes of any shape.
///   - target: Y, the same shape.
public func spectralConvergence(_ input: Tensor, _ target: Tensor) -> Tensor {
    precondition(input.shape == target.shape, "spectralConvergence: \(input.shape) vs \(target.shape)")
    return (target - input).square().sum().sqrt() / target.square().sum().sqrt()
}

/// Mean absolute difference of log magnitudes: mean |ln X − ln Y| over every value (auraloss
/// `STFTMagnitudeLoss(log=True, distance="L1", reduction="mean")`). Magnitudes must be positive
/// (floor them, e.g. with `stftClampedMagnitude`).
public func logMagnitudeDistance(_ input: Tensor, _ target: Tensor) -> Tensor {
    precondition(input.shape == target.shape, "logMagnitudeDistance: \(input.shape) vs \(target.shape)")
    return (input.log() - target.log()).abs().mean()
}

/// Mean absolute difference of magnitudes (auraloss `STFTMagnitudeLoss(log=False)`, L1, mean).
public func linearMagnitudeDistance(_ input: Tensor, _ target: Tensor) -> Tensor {
    precondition(input.shape == target.shape, "linearMagnitudeDistance: \(input.shape) vs \(target.shape)")
    return (input - target).abs().mean()
}
