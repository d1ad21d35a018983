import HarpAudio
import HarpTensor

/// Turning any audio file into what a codec takes, and its output back into a file's buffer.
public enum CodecInput {
    /// `buffer` mixed to `channelCount` channels and resampled to `sampleRate`, as a tensor
    /// `[channelCount, samples]`.
    ///
    /// Channel rules: many → one averages; one → two duplicates; more than two → two keeps the
    /// first two (front left and right).
    /// - Throws: `CodecInputError` for empty, silent or non-finite audio.
    public static func prepare(_ buffer: AudioBuffer, sampleRate: Int, channelCount: Int) throws -> Tensor {
        guard buffer.frameCount > 0 else { throw CodecInputError.empty }
        guard buffer.samples.allSatisfy(\.isFinite) else { throw CodecInputError.notFinite }
        let peak = buffer.samples.reduce(Float(0)) { max($0, abs($1)) }
        guard peak >= silenceThreshold else { throw CodecInputError.silent }
        let mixed = ChannelMixing.converting(from: buffer.channelCount, to: channelCount).applied(to: buffer)
        let resampled = mixed.sampleRate == sampleRate ? mixed : try Resampler.resample(mixed, to: sampleRate)
        return Tensor(shape: [channelCount, resampled.frameCount], values: planarSamples(resampled))
    }

    /// A codec's output `[channels, samples]` as an interleaved buffer at `sampleRate`.
    public static func buffer(_ audio: Tensor, sampleRate: Int) -> AudioBuffer {
        let channels = audio.shape[0], frames = audio.shape[1]
        let values = audio.scalars
        var interleaved = [Float](repeating: 0, count: channels * frames)
        for channel in 0..<channels {
            for frame in 0..<frames { interleaved[frame * channels + channel] = values[channel * frames + frame] }
        }
        return AudioBuffer(interleaved: interleaved, channelCount: channels, sampleRate: sampleRate)
    }

    /// Audio quieter than this everywhere (−120 dBFS) has nothing to encode.
    public static let silenceThreshold: Float = 1e-6

    private static func planarSamples(_ buffer: AudioBuffer) -> [Float] {
        buffer.planar.flatMap { $0 }
    }
}

/// Why audio cannot be encoded; each description is one line.
public enum CodecInputError: Error, Equatable, CustomStringConvertible {
    case empty
    case silent
    case notFinite

    public var description: String {
        switch self {
        case .empty: return "the audio is empty (no samples)"
        case .silent: return "the audio is silent (peak below −120 dBFS): there is nothing to encode"
        case .notFinite: return "the audio holds NaN or infinite samples"
        }
    }
}
