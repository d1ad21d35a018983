import Foundation
import HarpTensor

/// Triangular mel filters over the bins of a real FFT, as `librosa.filters.mel` makes them.
///
/// nMels + 2 edge frequencies are spaced evenly on the mel scale between `minimumFrequencyHz`
/// and `maximumFrequencyHz`; filter m rises linearly (in Hz) from edge m to edge m + 1 and falls
/// to edge m + 2, evaluated at the bin centres k·sampleRate/nFFT. With `.slaney` normalisation
/// each filter is scaled by 2 / (edge[m+2] − edge[m]) (constant energy per channel).
///
/// ref: `librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm)` (librosa 0.11); computed in
/// Double, stored as Float like librosa's float32 default.
public struct MelFilterbank {
    /// Which mel scale maps Hz to mel.
    public enum Scale: Sendable {
        /// Slaney's Auditory Toolbox: mel = f / (200/3) below 1 kHz, logarithmic above (27 mel per
        /// factor 6.4 in frequency). librosa's `htk=False`, the default.
        case slaney
        /// HTK: mel = 2595 · log₁₀(1 + f/700). librosa's `htk=True`.
        case htk
    }

    /// How each triangle is scaled.
    public enum Normalization: Sendable {
        /// Peak 1 (librosa's `norm=None`).
        case none
        /// Area-normalised: divided by half the filter's width in Hz (librosa's `norm='slaney'`).
        case slaney
    }

    public let sampleRate: Double
    public let nFFT: Int
    public let melCount: Int
    public let minimumFrequencyHz: Double
    public let maximumFrequencyHz: Double
    public let scale: Scale
    public let normalization: Normalization
    /// `[melCount, nFFT/2 + 1]`.
    public let weights: Tensor

    /// - Parameters:
    ///   - maximumFrequencyHz: defaults to sampleRate / 2.
    public init(sampleRate: Double, nFFT: Int, melCount: Int = 128, minimumFrequencyHz: Double = 0,
                maximumFrequencyHz: Double? = nil, scale: Scale = .slaney, normalization: Normalization = .slaney) {
        precondition(sampleRate > 0 && nFFT >= 1 && melCount >= 1, "MelFilterbank: positive rate, nFFT and mel count")
        let fmax = maximumFrequencyHz ?? sampleRate / 2
        precondition(minimumFrequencyHz >= 0 && fmax > minimumFrequencyHz, "MelFilterbank: 0 ≤ fmin < fmax")
        self.sampleRate = sampleRate
        self.nFFT = nFFT
        self.melCount = melCount
        self.minimumFrequencyHz = minimumFrequencyHz
        self.maximumFrequencyHz = fmax
        self.scale = scale
        self.normalization = normalization
        weights = Self.makeWeights(sampleRate: sampleRate, nFFT: nFFT, melCount: melCount, fmin: minimumFrequencyHz,
                                   fmax: fmax, scale: scale, normalization: normalization)
    }

    /// Mel spectra of a magnitude or power spectrogram: `[..., bins, frames]` → `[..., melCount, frames]`
    /// (weights · spectrogram). Differentiable with respect to `spectrogram`.
    public func callAsFunction(_ spectrogram: Tensor) -> Tensor {
        precondition(spectrogram.rank >= 2 && spectrogram.shape[spectrogram.rank - 2] == nFFT / 2 + 1,
                     "MelFilterbank: spectrogram \(spectrogram.shape) needs \(nFFT / 2 + 1) bins before frames")
        return matmul(weights, spectrogram)
    }

    // MARK: - Hz ↔ mel

    /// Hz to mel (librosa's `hz_to_mel`).
    public static func mel(fromHz hz: Double, scale: Scale) -> Double {
        switch scale {
        case .htk:
            return 2595 * log10(1 + hz / 700)
        case .slaney:
            if hz < slaneyBreakHz { return hz / slaneyHzPerMel }
            return slaneyBreakHz / slaneyHzPerMel + log(hz / slaneyBreakHz) / slaneyLogStep
        }
    }

    /// Mel to Hz (librosa's `mel_to_hz`).
    public static func hz(fromMel mel: Double, scale: Scale) -> Double {
        switch scale {
        case .htk:
            return 700 * (pow(10, mel / 2595) - 1)
        case .slaney:
            let breakMel = slaneyBreakHz / slaneyHzPerMel
            if mel < breakMel { return mel * slaneyHzPerMel }
            return slaneyBreakHz * exp(slaneyLogStep * (mel - breakMel))
        }
    }

    private static let slaneyHzPerMel = 200.0 / 3
    private static let slaneyBreakHz = 1000.0
    private static let slaneyLogStep = log(6.4) / 27

    private static func makeWeights(sampleRate: Double, nFFT: Int, melCount: Int, fmin: Double, fmax: Double,
                                    scale: Scale, normalization: Normalization) -> Tensor {
        let bins = nFFT / 2 + 1
        // Bin centres k·sr/nFFT, as librosa's fft_frequencies (np.fft.rfftfreq).
        let binHz = (0..<bins).map { sampleRate * Double($0) / Double(nFFT) }
        let lowMel = mel(fromHz: fmin, scale: scale), highMel = mel(fromHz: fmax, scale: scale)
        let edges = (0..<(melCount + 2)).map { i in
            hz(fromMel: lowMel + (highMel - lowMel) * Double(i) / Double(melCount + 1), scale: scale)
        }
        var values = [Float](repeating: 0, count: melCount * bins)
        for m in 0..<melCount {
            let lowerWidth = edges[m + 1] - edges[m], upperWidth = edges[m + 2] - edges[m + 1]
            let gain = normalization == .slaney ? 2 / (edges[m + 2] - edges[m]) : 1
            for k in 0..<bins {
                let rising = (binHz[k] - edges[m]) / lowerWidth
                let falling = (edges[m + 2] - binHz[k]) / upperWidth
                values[m * bins + k] = Float(Swift.max(0, Swift.min(rising, falling)) * gain)
            }
        }
        return Tensor(shape: [melCount, bins], values: values)
    }
}

/// The mel spectrogram of each row: `MelFilterbank(...)(|stft(signal)|^power)`.
///
/// ref: `librosa.feature.melspectrogram(y, sr, n_fft, hop_length, win_length, window='hann',
/// center, pad_mode, power, n_mels, fmin, fmax, htk, norm)`. Note librosa pads with zeros
/// (`pad_mode='constant'`) by default, torch with reflection; pass `padMode` to choose.
///
/// - Parameters:
///   - signal: `[..., samples]`.
///   - power: 2 for power (librosa's default), 1 for magnitude, any positive exponent otherwise.
/// - Returns: `[..., melCount, frames]`. Differentiable with respect to `signal` (for power < 1
///   the gradient is infinite where a bin is exactly zero).
public func melSpectrogram(_ signal: Tensor, filterbank: MelFilterbank, hop: Int? = nil, windowLength: Int? = nil,
                           center: Bool = true, padMode: PaddingMode = .constant(0), power: Float = 2) -> Tensor {
    let nFFT = filterbank.nFFT
    let windowLength = windowLength ?? nFFT
    let spectrum = stft(signal, nFFT: nFFT, hop: hop ?? nFFT / 4, windowLength: windowLength,
                        window: Windows.hann(windowLength), center: center, padMode: padMode)
    let spectrogram: Tensor
    switch power {
    case 2: spectrogram = stftPower(spectrum)
    case 1: spectrogram = stftMagnitude(spectrum)
    default: spectrogram = pow(stftMagnitude(spectrum), power)
    }
    return filterbank(spectrogram)
}
