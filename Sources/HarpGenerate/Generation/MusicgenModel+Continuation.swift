import HarpCodec
import HarpTensor

extension MusicgenModel {
    /// The codes of a clip to continue: `audio` `[channels, samples]` at the codec's rate, encoded
    /// by the model's codec at its lowest bandwidth (as `transformers` encodes, at
    /// `target_bandwidths[0]`; MusicGen's codecs offer one) → `[1, codebooks, frames]`, the
    /// `prompt` of `generate`.
    public func encodePrompt(_ audio: Tensor) throws(GenerateError) -> IntTensor {
        guard let codec = audioCodec else { throw .codec("no audio codec is loaded") }
        guard audio.rank == 2, audio.shape[0] == codec.channelCount, audio.shape[1] > 0 else {
            throw .badInput("the clip has shape \(audio.shape); the codec takes [\(codec.channelCount), samples]")
        }
        let codebooks = configuration.decoder.codebookCount
        let encoded: EncodedAudio
        do {
            encoded = try withoutGradients { try codec.encode(audio, bandwidth: codec.bandwidths.first) }
        } catch {
            throw .codec("\(error)")
        }
        guard encoded.chunkCount == 1, encoded.codebookCount == codebooks else {
            throw .unsupported("the codec gives \(encoded.chunkCount) chunks of \(encoded.codebookCount) codebooks; the decoder takes 1 of \(codebooks)")
        }
        guard encoded.frameCount < maximumSteps - codebooks else {
            throw .badInput("the clip is \(encoded.frameCount) frames long; the model holds at most \(maximumSteps - codebooks + 1)")
        }
        return encoded.codes
    }
}
