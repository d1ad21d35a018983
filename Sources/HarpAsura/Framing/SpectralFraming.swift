import Foundation
import HarpTensor

/// Audio to the model's frames and back to numbers it can learn (the reference's
/// `signal_to_frames`, alephic/asura `harp/asura/asura.py`): overlapping frames of `frameSamples`
/// with a hop of a quarter frame, a Hann window (`hann_window(N + 1)[1:]`), the real FFT scaled by
/// `2 / Σ window` without its Nyquist bin, every odd bin negated (with a hop of N/4 this makes the
/// spectrum of a signal shifted by one hop look alike), then a magnitude frame (`unitary_log|S|`)
/// and a phase frame (`S` rescaled to that magnitude, real and imaginary parts per channel).
///
/// Data preparation, so no gradient.
public struct SpectralFraming: Sendable {
    public let frameSamples: Int
    public let hop: Int
    public var bins: Int { frameSamples / 2 }
    let window: [Float]
    let normalization: Float

    public init(frameSamples: Int, hop: Int) {
        self.frameSamples = frameSamples
        self.hop = hop
        let n = frameSamples
        window = (1...n).map { i in Float(0.5 - 0.5 * Foundation.cos(2 * Double.pi * Double(i) / Double(n + 1))) }
        normalization = 2 / window.reduce(0, +)
    }

    /// Frames of `signal [batch, samples, channels]`: magnitudes `[batch, frames, bins, channels]`
    /// and phases `[batch, frames, bins, 2·channels]` (`[re₀, im₀, re₁, im₁, …]` per bin).
    public func frames(of signal: Tensor) -> (magnitude: Tensor, phase: Tensor) {
        let (batch, samples, channels) = (signal.shape[0], signal.shape[1], signal.shape[2])
        let frameCount = (samples - frameSamples) / hop + 1
        precondition(frameCount >= 1, "framing: \(samples) samples are shorter than one frame")
        let x = signal.scalars
        var windowed = [Float](repeating: 0, count: batch * frameCount * channels * frameSamples)
        for b in 0..<batch {
            for f in 0..<frameCount {
                for c in 0..<channels {
                    let base = ((b * frameCount + f) * channels + c) * frameSamples
                    for i in 0..<frameSamples {
                        windowed[base + i] = x[(b * samples + f * hop + i) * channels + c] * window[i]
                    }
                }
            }
        }
        let spectrum = Tensor(shape: [batch, frameCount, channels, frameSamples], values: windowed).rfft().scalars
        let spectrumBins = frameSamples / 2 + 1
        var magnitude = [Float](repeating: 0, count: batch * frameCount * bins * channels)
        var phase = [Float](repeating: 0, count: batch * frameCount * bins * 2 * channels)
        for row in 0..<(batch * frameCount) {
            for c in 0..<channels {
                for k in 0..<bins {
                    let source = ((row * channels + c) * spectrumBins + k) * 2
                    let sign: Float = k % 2 == 0 ? normalization : -normalization
                    let re = spectrum[source] * sign, im = spectrum[source + 1] * sign
                    let size = (re * re + im * im).squareRoot()
                    let m = Self.unitaryLog(size)
                    let scale = size == 0 ? 1 : m / size
                    magnitude[(row * bins + k) * channels + c] = m
                    phase[(row * bins + k) * 2 * channels + 2 * c] = re * scale
                    phase[(row * bins + k) * 2 * channels + 2 * c + 1] = im * scale
                }
            }
        }
        return (Tensor(shape: [batch, frameCount, bins, channels], values: magnitude),
                Tensor(shape: [batch, frameCount, bins, 2 * channels], values: phase))
    }

    /// `(log(x + ε) − log ε) / (log(1 + ε) − log ε)` with ε = 10⁻³: 0 at 0, 1 at 1, log-like between.
    public static func unitaryLog(_ x: Float, epsilon: Float = 1e-3) -> Float {
        let logEpsilon = Foundation.log(Double(epsilon))
        return (Foundation.log(x + epsilon) - Float(logEpsilon)) * Float(1 / (Foundation.log(1 + Double(epsilon)) - logEpsilon))
    }

    /// The inverse of `unitaryLog`: `ε·((1/ε + 1)^x − 1)`.
    public static func unitaryExp(_ x: Float, epsilon: Float = 1e-3) -> Float {
        epsilon * (Foundation.pow(1 / epsilon + 1, x) - 1)
    }
}
