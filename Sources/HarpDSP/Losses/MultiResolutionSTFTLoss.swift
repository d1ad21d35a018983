import HarpTensor

/// The multi-resolution STFT loss of Parallel WaveGAN, as the `auraloss` package defines it:
/// for each resolution (nFFT, hop, window length) with a periodic Hann window, centred reflect
/// padding and magnitudes M = √max(|STFT|², ε),
///
///     L_res = w_sc · ‖M_y − M_x‖_F / ‖M_y‖_F  +  w_log · mean|ln M_x − ln M_y|  +  w_lin · mean|M_x − M_y|
///
/// and the loss is the mean of L_res over the resolutions. The norms run over the whole batch.
///
/// ref: Yamamoto et al. 2019 (arXiv:1910.11480); auraloss 0.4.0 `auraloss/freq.py`
/// `MultiResolutionSTFTLoss` / `STFTLoss` with their defaults (fft sizes [1024, 2048, 512], hops
/// [120, 240, 50], windows [600, 1200, 240], w_sc = w_log = 1, w_lin = 0, ε = 1e-8, mean reduction;
/// mel/chroma scaling, A-weighting, phase and scale-invariance options are not implemented).
public struct MultiResolutionSTFTLoss: Sendable {
    /// One STFT resolution.
    public struct Resolution: Sendable, Equatable {
        public var nFFT: Int
        public var hop: Int
        public var windowLength: Int
        public init(nFFT: Int, hop: Int, windowLength: Int) {
            self.nFFT = nFFT
            self.hop = hop
            self.windowLength = windowLength
        }
    }

    /// auraloss's defaults.
    public static let defaultResolutions = [
        Resolution(nFFT: 1024, hop: 120, windowLength: 600),
        Resolution(nFFT: 2048, hop: 240, windowLength: 1200),
        Resolution(nFFT: 512, hop: 50, windowLength: 240),
    ]

    public var resolutions: [Resolution]
    public var spectralConvergenceWeight: Float
    public var logMagnitudeWeight: Float
    public var linearMagnitudeWeight: Float
    /// The floor under |STFT|² before the square root (auraloss `eps`).
    public var epsilon: Float

    public init(resolutions: [Resolution] = MultiResolutionSTFTLoss.defaultResolutions,
                spectralConvergenceWeight: Float = 1, logMagnitudeWeight: Float = 1,
                linearMagnitudeWeight: Float = 0, epsilon: Float = 1e-8) {
        precondition(!resolutions.isEmpty, "MultiResolutionSTFTLoss needs at least one resolution")
        self.resolutions = resolutions
        self.spectralConvergenceWeight = spectralConvergenceWeight
        self.logMagnitudeWeight = logMagnitudeWeight
        self.linearMagnitudeWeight = linearMagnitudeWeight
        self.epsilon = epsilon
    }

    /// The loss of `input` against `target`, both `[..., samples]` of the same shape (auraloss
    /// takes `[batch, channels, samples]`; leading axes are flattened into rows). A scalar,
    /// differentiable with respect to both.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        precondition(input.shape == target.shape && input.rank >= 1,
                     "MultiResolutionSTFTLoss: \(input.shape) vs \(target.shape)")
        let total = resolutions.map { loss(input, target, at: $0) }.dropFirst()
            .reduce(loss(input, target, at: resolutions[0]), +)
        return total / Float(resolutions.count)
    }

    /// L_res for one resolution.
    public func loss(_ input: Tensor, _ target: Tensor, at resolution: Resolution) -> Tensor {
        let x = magnitudes(input, resolution), y = magnitudes(target, resolution)
        var terms: [Tensor] = []
        if spectralConvergenceWeight != 0 { terms.append(spectralConvergenceWeight * spectralConvergence(x, y)) }
        if logMagnitudeWeight != 0 { terms.append(logMagnitudeWeight * logMagnitudeDistance(x, y)) }
        if linearMagnitudeWeight != 0 { terms.append(linearMagnitudeWeight * linearMagnitudeDistance(x, y)) }
        return terms.dropFirst().reduce(terms.first ?? Tensor(scalar: 0), +)
    }

    private func magnitudes(_ signal: Tensor, _ resolution: Resolution) -> Tensor {
        let rows = signal.reshaped([-1, signal.shape[signal.rank - 1]])
        let spectrum = stft(rows, nFFT: resolution.nFFT, hop: resolution.hop, windowLength: resolution.windowLength,
                            window: Windows.hann(resolution.windowLength))
        return stftClampedMagnitude(spectrum, minimumPower: epsilon)
    }
}
