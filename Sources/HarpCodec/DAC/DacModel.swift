import Foundation
import HarpTensor

/// The Descript Audio Codec (Kumar et al. 2023) from a `transformers` checkpoint, inference only:
/// Snake-activated convolutional encoder and decoder around a residual vector quantiser with
/// factorised, L2-normalised codes. Audio is zero-padded on the right to a whole number of hops
/// (as DAC's `preprocess` does) and the decoded audio is cropped back.
///
/// ref: huggingface/transformers `models/dac/modeling_dac.py`; descriptinc/descript-audio-codec
/// `dac/model/dac.py` (`preprocess`).
public final class DacModel: NeuralCodec {
    public let configuration: DacConfiguration
    public let identity: CodecIdentity
    let encoder: DacEncoder
    let decoder: DacDecoder
    let quantizer: DacQuantizer
    /// Code frames per window when long audio is processed piecewise (`encode(sampleCount:…)`,
    /// `decode(_:writing:)`): 256 frames ≈ 3 s at 44.1 kHz.
    public var windowFrames = 256
    /// Frames of context on each side of a window, computed and thrown away. DAC's encoder and
    /// decoder see about 7.3 frames either side (kernel 7, dilations 1/3/9 per block, strides
    /// 2·4·8·8), so 16 makes a window's kept frames equal the whole-file result.
    public var contextFrames = 16

    init(configuration: DacConfiguration, weights: CodecWeights, identity: CodecIdentity) throws(CodecError) {
        try configuration.validate()
        let reader = DacLayerReader(configuration: configuration, weights: weights)
        self.configuration = configuration
        self.identity = identity
        encoder = try reader.encoder()
        decoder = try reader.decoder()
        quantizer = try reader.quantizer()
    }

    public var sampleRate: Int { configuration.samplingRate }
    public var channelCount: Int { 1 }
    public var codebookSize: Int { configuration.codebookSize }
    public var maximumCodebookCount: Int { configuration.codebookCount }
    public var frameRate: Double { configuration.frameRate }
    public var hopLength: Int { configuration.hopLength }

    /// One bandwidth per codebook count: `n · log2(K) · frameRate / 1000` kbit/s.
    public var bandwidths: [Double] {
        (1...maximumCodebookCount).map { Double($0) * configuration.codebookBits * frameRate / 1000 }
    }

    /// The codebook count for `bandwidth` (kbit/s, matched to within 0.005; `nil` for all).
    public func codebookCount(bandwidth: Double?) throws(CodecError) -> (count: Int, bandwidth: Double) {
        let offered = bandwidths
        guard let bandwidth else { return (maximumCodebookCount, offered.last!) }
        guard let index = offered.firstIndex(where: { abs($0 - bandwidth) < 0.005 }) else {
            throw .unsupportedBandwidth(bandwidth, offered: offered)
        }
        return (index + 1, offered[index])
    }

    public func encode(_ audio: Tensor, bandwidth: Double?) throws -> EncodedAudio {
        let (count, offered) = try codebookCount(bandwidth: bandwidth)
        try CodecAudio.validate(audio, channelCount: 1)
        return withoutGradients {
            let codes = encodeLatents(paddedInput(audio), count: count).codes
            return EncodedAudio(codes: codes.reshaped([1] + codes.shape), scales: nil,
                                sampleCount: audio.shape[1], bandwidth: offered)
        }
    }

    public func decode(_ encoded: EncodedAudio) throws -> Tensor {
        try CodecAudio.validate(encoded, codebookSize: codebookSize, maximumCodebookCount: maximumCodebookCount)
        let needed = (encoded.sampleCount + hopLength - 1) / hopLength
        guard encoded.chunkCount == 1, encoded.frameCount == needed else {
            throw CodecError.badCodes("\(encoded.sampleCount) samples need 1 chunk of \(needed) frames, the codes have \(encoded.chunkCount) of \(encoded.frameCount)")
        }
        return withoutGradients {
            let audio = decodeCodes(CodecAudio.chunk(encoded.codes, 0))
            return audio.sliced(alongAxis: 2, end: encoded.sampleCount).reshaped([1, encoded.sampleCount])
        }
    }

    // MARK: - Internals (also used by the parity tests)

    /// `[1, samples]` as `[1, 1, samples′]`, zero-padded on the right to a multiple of the hop.
    func paddedInput(_ audio: Tensor) -> Tensor {
        let samples = audio.shape[1]
        let padded = (samples + hopLength - 1) / hopLength * hopLength
        return audio.reshaped([1, 1, samples]).padded(alongAxis: 2, before: 0, after: padded - samples)
    }

    /// The encoder's latents and their quantisation for `[1, 1, samples]`.
    func encodeLatents(_ input: Tensor, count: Int) -> (latents: Tensor, codes: IntTensor, quantized: Tensor, projected: Tensor) {
        let latents = encoder(input)
        let (codes, quantized, projected) = quantizer.encode(latents, count: count)
        return (latents, codes, quantized, projected)
    }

    /// Audio `[1, 1, frames · hop]` for codes `[count, frames]`.
    func decodeCodes(_ codes: IntTensor) -> Tensor {
        decoder(quantizer.decode(codes))
    }
}
