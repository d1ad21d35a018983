import Foundation
import HarpTensor

/// EnCodec (Défossez et al. 2022) from a `transformers` checkpoint: a SEANet encoder, a residual
/// vector quantiser and a SEANet decoder, inference only.
///
/// Whole-file models (24 kHz causal, 32 kHz) encode the audio in one piece; models with
/// `chunk_length_s` (48 kHz) pad the audio to whole chunks as `EncodecFeatureExtractor` does,
/// encode each chunk (after dividing it by its RMS when `normalize`), and overlap-add the decoded
/// chunks with triangular weights.
///
/// ref: huggingface/transformers `models/encodec/modeling_encodec.py` (`EncodecModel.encode`,
/// `decode`, `_linear_overlap_add`), `feature_extraction_encodec.py` (padding to chunks).
public final class EncodecModel: NeuralCodec {
    public let configuration: EncodecConfiguration
    public let identity: CodecIdentity
    let encoder: EncodecStack
    let decoder: EncodecStack
    let quantizer: EncodecQuantizer
    /// Seconds of audio (or of code frames) a stream handles per step in
    /// `encode(sampleCount:…)` and `decode(_:writing:)`.
    public var blockSeconds = 1.0

    init(configuration: EncodecConfiguration, weights: CodecWeights, identity: CodecIdentity) throws(CodecError) {
        try configuration.validate()
        let reader = EncodecLayerReader(configuration: configuration, weights: weights)
        self.configuration = configuration
        self.identity = identity
        encoder = try reader.encoder()
        decoder = try reader.decoder()
        quantizer = try reader.quantizer()
    }

    public var sampleRate: Int { configuration.samplingRate }
    public var channelCount: Int { configuration.audioChannels }
    public var codebookSize: Int { configuration.codebookSize }
    public var maximumCodebookCount: Int { configuration.maximumQuantizerCount }
    public var frameRate: Double { Double(configuration.frameRate) }
    public var bandwidths: [Double] { configuration.targetBandwidths.sorted() }
    /// Audio samples per code frame.
    public var hopLength: Int { configuration.hopLength }

    /// The codebook count for `bandwidth` (kbit/s; `nil` for the highest), and that bandwidth.
    public func codebookCount(bandwidth: Double?) throws(CodecError) -> (count: Int, bandwidth: Double) {
        let chosen = bandwidth ?? bandwidths.last!
        guard let offered = bandwidths.first(where: { abs($0 - chosen) < 1e-6 }) else {
            throw .unsupportedBandwidth(chosen, offered: bandwidths)
        }
        return (min(configuration.quantizerCount(bandwidth: offered), maximumCodebookCount), offered)
    }

    public func encode(_ audio: Tensor, bandwidth: Double?) throws -> EncodedAudio {
        let (count, offered) = try codebookCount(bandwidth: bandwidth)
        try CodecAudio.validate(audio, channelCount: channelCount)
        return withoutGradients {
            let input = audio.reshaped([1] + audio.shape)
            guard let layout = chunkLayout(sampleCount: audio.shape[1]) else {
                let (codes, _) = encodeFrame(input, count: count)
                return EncodedAudio(codes: codes.reshaped([1] + codes.shape), scales: nil,
                                    sampleCount: audio.shape[1], bandwidth: offered)
            }
            let padded = input.padded(alongAxis: 2, before: 0, after: layout.paddedLength - audio.shape[1])
            var codes: [Int32] = [], scales: [Float] = []
            for offset in layout.offsets {
                let chunk = padded.sliced(alongAxis: 2, start: offset, end: offset + layout.chunkLength)
                let (chunkCodes, scale) = encodeFrame(chunk, count: count)
                codes += CodecAudio.rightPadded(chunkCodes, to: layout.framesPerChunk).scalars
                if let scale { scales.append(scale) }
            }
            return EncodedAudio(codes: IntTensor(shape: [layout.offsets.count, count, layout.framesPerChunk], scalars: codes),
                                scales: configuration.normalize ? scales : nil,
                                sampleCount: audio.shape[1], bandwidth: offered)
        }
    }

    public func decode(_ encoded: EncodedAudio) throws -> Tensor {
        try validateForDecoding(encoded)
        return withoutGradients {
            guard let layout = chunkLayout(sampleCount: encoded.sampleCount) else {
                let audio = decodeFrame(CodecAudio.chunk(encoded.codes, 0), scale: nil)
                return audio.sliced(alongAxis: 2, end: encoded.sampleCount).reshaped([channelCount, encoded.sampleCount])
            }
            var adder = OverlapAdder(stride: layout.chunkStride, frameLength: layout.chunkLength, channelCount: channelCount)
            var pieces: [Tensor] = []
            for (index, offset) in layout.offsets.enumerated() {
                var codes = CodecAudio.chunk(encoded.codes, index)
                if index == layout.offsets.count - 1 { codes = CodecAudio.prefixFrames(codes, layout.lastChunkFrames) }
                let chunk = decodeFrame(codes, scale: encoded.scales?[index]).reshaped([channelCount, -1])
                pieces.append(adder.add(chunk, at: offset))
            }
            pieces.append(adder.finish())
            let audio = Tensor.concatenated(pieces, alongAxis: 1)
            return audio.sliced(alongAxis: 1, end: encoded.sampleCount)
        }
    }

    // MARK: - Frames

    /// Codes `[count, frames]` for one piece of audio `[1, channels, time]`, and its scale when
    /// the model normalises (`scale = √mean(mono²) + 1e-8`, the audio divided by it).
    func encodeFrame(_ input: Tensor, count: Int) -> (IntTensor, Float?) {
        var x = input
        var scale: Float? = nil
        if configuration.normalize {
            let mono = x.mean(alongAxis: 1, keepDims: true)
            let rms = mono.square().mean().sqrt().item + 1e-8
            x = x / rms
            scale = rms
        }
        let embeddings = encoder(x)   // [1, hidden, frames]
        return (quantizer.encode(embeddings.reshaped(Array(embeddings.shape.dropFirst())), count: count), scale)
    }

    /// Audio `[1, channels, frames·hop]` for codes `[count, frames]`, multiplied by `scale`.
    func decodeFrame(_ codes: IntTensor, scale: Float?) -> Tensor {
        let embeddings = quantizer.decode(codes)
        let audio = decoder(embeddings.reshaped([1] + embeddings.shape))
        return scale.map { audio * $0 } ?? audio
    }

    // MARK: - Chunks

    /// How a chunked model cuts `sampleCount` samples, or `nil` for whole-file models.
    func chunkLayout(sampleCount: Int) -> ChunkLayout? {
        guard let length = configuration.chunkLength, let stride = configuration.chunkStride else { return nil }
        return ChunkLayout(sampleCount: sampleCount, chunkLength: length, chunkStride: stride, hopLength: hopLength)
    }

    func validateForDecoding(_ encoded: EncodedAudio) throws(CodecError) {
        try CodecAudio.validate(encoded, codebookSize: codebookSize, maximumCodebookCount: maximumCodebookCount)
        if let layout = chunkLayout(sampleCount: encoded.sampleCount) {
            guard encoded.chunkCount == layout.offsets.count, encoded.frameCount == layout.framesPerChunk else {
                throw .badCodes("\(encoded.sampleCount) samples need \(layout.offsets.count) chunks of \(layout.framesPerChunk) frames, the codes have \(encoded.chunkCount) of \(encoded.frameCount)")
            }
            if configuration.normalize {
                guard let scales = encoded.scales, scales.count == encoded.chunkCount, scales.allSatisfy({ $0.isFinite }) else {
                    throw .badCodes("this model needs one finite scale per chunk")
                }
            }
        } else {
            let needed = (encoded.sampleCount + hopLength - 1) / hopLength
            guard encoded.chunkCount == 1, encoded.frameCount == needed else {
                throw .badCodes("\(encoded.sampleCount) samples need 1 chunk of \(needed) frames, the codes have \(encoded.chunkCount) of \(encoded.frameCount)")
            }
        }
    }
}

/// Where a chunked EnCodec cuts the audio: padded to `(⌈n / stride⌉ − 1)·stride + chunkLength`
/// samples (`EncodecFeatureExtractor`), chunks at `0, stride, 2·stride, …` below that length (so
/// a short tail chunk may exist, as in `EncodecModel.encode`).
struct ChunkLayout {
    let chunkLength: Int
    let chunkStride: Int
    let paddedLength: Int
    let offsets: [Int]
    /// Code frames of a whole chunk (every chunk's codes are padded to it).
    let framesPerChunk: Int
    /// Code frames of the last chunk before padding.
    let lastChunkFrames: Int

    init(sampleCount: Int, chunkLength: Int, chunkStride: Int, hopLength: Int) {
        self.chunkLength = chunkLength
        self.chunkStride = chunkStride
        let steps = max(1, (sampleCount + chunkStride - 1) / chunkStride)
        paddedLength = (steps - 1) * chunkStride + chunkLength
        offsets = Array(stride(from: 0, to: paddedLength, by: chunkStride))
        framesPerChunk = (chunkLength + hopLength - 1) / hopLength
        let lastLength = min(chunkLength, paddedLength - offsets.last!)
        lastChunkFrames = (lastLength + hopLength - 1) / hopLength
    }
}
