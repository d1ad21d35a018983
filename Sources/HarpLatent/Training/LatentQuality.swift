import HarpDSP
import HarpTensor

/// How close a reconstruction is to its input.
public struct LatentQuality: Sendable, Equatable, Encodable {
    /// DAC's multi-scale mel distance (`MelDistance`; lower is better).
    public var melDistance: Float
    /// Scale-invariant SDR in dB, averaged over channels (higher is better).
    public var siSDR: Float

    enum CodingKeys: String, CodingKey {
        case melDistance = "mel_distance", siSDR = "si_sdr"
    }

    /// Compares `reconstruction` with `reference`, both `[channels, samples]`; the longer is
    /// cropped to the shorter (a decode covers whole latent frames only).
    public static func measure(_ reconstruction: Tensor, against reference: Tensor, sampleRate: Int) -> LatentQuality {
        let length = min(reconstruction.shape[1], reference.shape[1])
        let estimate = reconstruction.sliced(alongAxis: 1, end: length)
        let target = reference.sliced(alongAxis: 1, end: length)
        return withoutGradients {
            LatentQuality(melDistance: MelDistance(sampleRate: Double(sampleRate))(estimate, target).scalars[0],
                          siSDR: scaleInvariantSDR(estimate, target).mean().scalars[0])
        }
    }
}
