import HarpCodec
import HarpTensor

extension MusicgenModel {
    /// The codes of a clip to continue: `audio` `[channels, samples]` at the codec's rate, encoded
    /// by the model's codec at its lowest bandwidth (as `transformers` encodes, at
    /// `target_bandwidths[0]`; MusicGen's codecs offer one), or a Harp generator's bandwidth → `[1, codebooks, frames]`, the
    /// `prompt` of `generate`.
    public func encodePrompt(_ audio: Tensor) throws(GenerateError) -> IntTensor {
        guard let codec = audioCodec else { throw .codec("no audio codec is loaded") }
        guard audio.rank == 2, audio.shape[0] == codec.channelCount, audio.shape[1] > 0 else {
            throw .badInput("the clip has shape \(audio.shape); the codec takes [\(codec.channelCount), samples]")
        }
        let codebooks = configuration.decoder.codebookCount
        // Refuse a clip the decoder cannot hold before spending the codec's time on it.
        let frames = Int((Double(audio.shape[1]) * codec.frameRate / Double(codec.sampleRate)).rounded(.up))
        guard frames < maximumSteps - codebooks else {
            throw .badInput(String(format: "the clip is %.1f s long; the model holds at most %.1f s",
                                   Double(audio.shape[1]) / Double(codec.sampleRate),
                                   Double(maximumSteps - codebooks) / codec.frameRate))
        }
        let encoded: EncodedAudio
        do {
            encoded = try withoutGradients { try codec.encode(audio, bandwidth: configuration.components?.bandwidth ?? codec.bandwidths.first) }
        } catch {
            throw .codec("\(error)")
        }
        guard encoded.chunkCount == 1, encoded.codebookCount == codebooks else {
            throw .unsupported("the codec gives \(encoded.chunkCount) chunks of \(encoded.codebookCount) codebooks; the decoder takes 1 of \(codebooks)")
        }
        return encoded.codes
    }
}
