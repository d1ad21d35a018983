import HarpDSP
import HarpTensor

/// Seed 001's objective: the L1 distance between STFT magnitudes of target and reconstruction,
/// plus an L1 penalty that keeps the control signal sparse.
///
///     loss = Σ |S(target) − S(reconstruction)| + sparsity · Σ |control|
///
/// S is matching-pursuit's `stft(x, ws, hop, pad=True)`: frames every `hop` samples over the
/// signal zero-padded on the right, periodic Hann window, orthonormal real FFT, magnitude,
/// the first `samples / hop` frames. The target's spectrum is computed once.
public struct InstrumentLoss {
    public let windowSize: Int
    public let hopSize: Int
    public let sparsityCoefficient: Float
    let window: Tensor
    /// `[frames, bins]` magnitudes of the target.
    public let targetSpectrum: Tensor

    public init(target: Tensor, windowSize: Int, hopSize: Int, sparsityCoefficient: Float) {
        self.windowSize = windowSize
        self.hopSize = hopSize
        self.sparsityCoefficient = sparsityCoefficient
        window = Windows.hann(windowSize)
        let w = window
        targetSpectrum = withoutGradients {
            Self.spectrum(target, window: w, hop: hopSize)
        }
    }

    /// `[frames, bins]` magnitudes of a `[samples]` signal.
    static func spectrum(_ signal: Tensor, window: Tensor, hop: Int) -> Tensor {
        let frames = signal.count / hop
        let complex = framedSpectrum(signal.reshaped([1, signal.count]), window: window, hop: hop,
                                     frameCount: frames, normalization: .ortho)
        return complexMagnitude(complex).reshaped([frames, window.count / 2 + 1])
    }

    /// The spectral term alone.
    public func spectralDistance(_ reconstruction: Tensor) -> Tensor {
        (Self.spectrum(reconstruction, window: window, hop: hopSize) - targetSpectrum).abs().sum()
    }

    /// The full objective for a reconstruction `[samples]` and the control signal that made it.
    public func callAsFunction(reconstruction: Tensor, control: Tensor) -> Tensor {
        terms(reconstruction: reconstruction, control: control).total
    }

    /// The full objective and its spectral term, which it is built from.
    public func terms(reconstruction: Tensor, control: Tensor) -> (total: Tensor, spectral: Tensor) {
        let spectral = spectralDistance(reconstruction)
        return (spectral + sparsityCoefficient * control.abs().sum(), spectral)
    }

    /// The spectral distance of a silent reconstruction: the sum of the target's magnitudes.
    public var silentDistance: Float {
        withoutGradients { targetSpectrum.sum().item }
    }
}
