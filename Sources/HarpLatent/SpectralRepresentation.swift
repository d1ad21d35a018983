import HarpDSP
import HarpTensor

/// Audio ↔ the model's spectrogram: power-law compressed complex STFT as (real, imaginary)
/// channels (the reference's `wv2realimag` / `realimag2wv`).
///
/// Forward: periodic Hann window of `4·hop`, hop `hop`, **no centre padding** (frames start at
/// 0, hop, …), the Nyquist bin dropped (`2·hop` bins), each bin `β·|X|^α·e^{i∠X}`.
/// Inverse: a zero Nyquist row appended, `(|x|/β)^(1/α)`, inverse real FFT, the synthesis window
/// `w / Σ_overlaps w²` (tf's `inverse_stft_window`), overlap-add, **clamped to [−1, 1]**; the
/// output has `(frames − 1)·hop + 4·hop` samples, untrimmed.
struct SpectralRepresentation {
    let hop: Int
    let alpha: Float
    let beta: Float

    init(configuration: LatentConfiguration) {
        hop = configuration.hop
        alpha = configuration.alphaRescale
        beta = configuration.betaRescale
    }

    var windowLength: Int { 4 * hop }

    /// `[rows, samples]` (samples ≥ 4·hop) → `[rows, 2, 2·hop, frames]`, frames = 1 + (samples − 4·hop)/hop.
    func spectrogram(_ audio: Tensor) -> Tensor {
        let spectrum = stft(audio, nFFT: windowLength, hop: hop, window: Windows.hann(windowLength), center: false)
            .sliced(alongAxis: 1, end: 2 * hop)                     // [rows, bins, frames, 2]
        let real = spectrum.sliced(alongAxis: 3, end: 1), imaginary = spectrum.sliced(alongAxis: 3, start: 1)
        // β·|X|^α·(X/|X|) = β·|X|^(α−1)·X; zero bins stay zero.
        let magnitude = (real.square() + imaginary.square()).sqrt().clamped(min: .leastNormalMagnitude)
        let gain = pow(magnitude, alpha - 1) * beta
        return Tensor.concatenated([real * gain, imaginary * gain], alongAxis: 3).permuted(0, 3, 1, 2)
    }

    /// `[rows, 2, 2·hop, frames]` → `[rows, (frames − 1)·hop + 4·hop]` in [−1, 1].
    func waveform(_ spectrogram: Tensor) -> Tensor {
        let (rows, frames) = (spectrogram.shape[0], spectrogram.shape[3])
        let compressed = spectrogram.permuted(0, 3, 2, 1)           // [rows, frames, bins, 2]
        let real = compressed.sliced(alongAxis: 3, end: 1), imaginary = compressed.sliced(alongAxis: 3, start: 1)
        let magnitude = (real.square() + imaginary.square()).sqrt().clamped(min: .leastNormalMagnitude)
        // (|x|/β)^(1/α)·(x/|x|)
        let gain = pow(magnitude * (1 / beta), 1 / alpha) / magnitude
        let spectrum = Tensor.concatenated([real * gain, imaginary * gain], alongAxis: 3)
            .padded(alongAxis: 2, before: 0, after: 1)             // the zero Nyquist row
        let frameSignals = spectrum.irfft(length: windowLength) * synthesisWindow()
        return overlapAdd(frameSignals.reshaped([rows, frames, windowLength]), hop: hop).clamped(min: -1, max: 1)
    }

    /// `w[j] / Σ_m w[(j mod hop) + m·hop]²` for the periodic Hann window `w`.
    func synthesisWindow() -> Tensor {
        let window = Windows.hann(windowLength).scalars
        var denominator = [Float](repeating: 0, count: hop)
        for j in 0..<windowLength { denominator[j % hop] += window[j] * window[j] }
        return Tensor((0..<windowLength).map { window[$0] / denominator[$0 % hop] })
    }
}
