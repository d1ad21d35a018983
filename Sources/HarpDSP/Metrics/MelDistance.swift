import HarpTensor

/// The multi-scale mel distance that DAC reports and trains with: for each scale, a Hann-window
/// STFT (centred, reflect padding, hop = window/4) of both signals, a Slaney mel filterbank on the
/// magnitudes, and the mean absolute difference of `log₁₀(max(mel, 10⁻⁵))`; the distance is the
/// sum over the scales (lower is better, 0 for identical signals).
///
/// Default scales are DAC's: windows 32 … 2048 with 5 … 320 mel bands.
///
/// ref: descriptinc/descript-audio-codec `conf/base.yml` (`MelSpectrogramLoss`: n_mels
/// [5,10,20,40,80,160,320], window_lengths [32,…,2048], mag_weight 0, log_weight 1, pow 1,
/// clamp_eps 1e-5) and descriptinc/audiotools `metrics/spectral.py`.
public struct MelDistance {
    /// One scale: window (= FFT size) and mel band count.
    public struct Scale: Sendable, Equatable {
        public var windowLength: Int
        public var melCount: Int
        public init(windowLength: Int, melCount: Int) {
            self.windowLength = windowLength
            self.melCount = melCount
        }
    }

    public static let dacScales: [Scale] = zip([32, 64, 128, 256, 512, 1024, 2048], [5, 10, 20, 40, 80, 160, 320])
        .map { Scale(windowLength: $0, melCount: $1) }

    public let sampleRate: Double
    public let scales: [Scale]
    public let clampEpsilon: Float
    private let filterbanks: [MelFilterbank]
    private let windows: [Tensor]

    public init(sampleRate: Double, scales: [Scale] = MelDistance.dacScales, clampEpsilon: Float = 1e-5) {
        self.sampleRate = sampleRate
        self.scales = scales
        self.clampEpsilon = clampEpsilon
        filterbanks = scales.map { MelFilterbank(sampleRate: sampleRate, nFFT: $0.windowLength, melCount: $0.melCount) }
        windows = scales.map { Windows.hann($0.windowLength) }
    }

    /// The distance between `estimate` and `reference`, both `[..., samples]` of one shape and
    /// longer than half the largest window. Differentiable with respect to both.
    public func callAsFunction(_ estimate: Tensor, _ reference: Tensor) -> Tensor {
        precondition(estimate.shape == reference.shape, "MelDistance: \(estimate.shape) vs \(reference.shape)")
        var total = Tensor(scalar: 0)
        for index in scales.indices {
            total = total + (logMel(estimate, scale: index) - logMel(reference, scale: index)).abs().mean()
        }
        return total
    }

    private func logMel(_ signal: Tensor, scale index: Int) -> Tensor {
        let n = scales[index].windowLength
        let spectrum = stft(signal, nFFT: n, hop: n / 4, window: windows[index])
        let magnitude = complexMagnitude(spectrum)
        return filterbanks[index](magnitude).clamped(min: clampEpsilon).log() * Float(1 / 2.302585092994046)
    }
}
