import HarpDSP
import HarpTensor

/// How close a codec's reconstruction is to its input: the figures `harp codec roundtrip` prints
/// and the codec reports tabulate.
public struct CodecQuality: Sendable, Equatable, Encodable {
    /// DAC's multi-scale mel distance (`MelDistance`; lower is better).
    public var melDistance: Float
    /// Scale-invariant SDR in dB, averaged over channels (higher is better).
    public var siSDR: Float
    /// auraloss's multi-resolution STFT loss (spectral convergence + log magnitude; lower is better).
    public var stftDistance: Float

    /// Compares `reconstruction` with `reference`, both `[channels, samples]` at `sampleRate`; the
    /// longer is cropped to the shorter.
    public static func measure(_ reconstruction: Tensor, against reference: Tensor, sampleRate: Int) -> CodecQuality {
        let length = min(reconstruction.shape[1], reference.shape[1])
        let estimate = reconstruction.sliced(alongAxis: 1, end: length)
        let target = reference.sliced(alongAxis: 1, end: length)
        return withoutGradients {
            CodecQuality(
                melDistance: MelDistance(sampleRate: Double(sampleRate))(estimate, target).scalars[0],
                siSDR: scaleInvariantSDR(estimate, target).mean().scalars[0],
                stftDistance: MultiResolutionSTFTLoss()(estimate, target).scalars[0])
        }
    }
}
