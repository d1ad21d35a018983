import HarpTensor

/// A neural audio codec: audio to integer codes (residual vector quantisation) and back.
///
/// Every model family (EnCodec, DAC, the codec trained by Harp) conforms, so the command line,
/// the `.harpc` container and MusicGen's audio tokens work with any of them.
public protocol NeuralCodec: AnyObject {
    /// What the codec is: its family and configuration name, and a fingerprint of its weights.
    var identity: CodecIdentity { get }
    /// The audio rate the model works at, in Hz.
    var sampleRate: Int { get }
    /// Audio channels the model encodes (1, or 2 for EnCodec 48 kHz).
    var channelCount: Int { get }
    /// Entries per codebook.
    var codebookSize: Int { get }
    /// Codebooks at the highest bandwidth.
    var maximumCodebookCount: Int { get }
    /// Code frames per second of audio.
    var frameRate: Double { get }
    /// The bandwidths (kbit/s) the model offers, ascending.
    var bandwidths: [Double] { get }

    /// Encodes `audio` `[channelCount, sampleCount]` at the model's rate.
    /// - Parameter bandwidth: one of `bandwidths` (kbit/s), or `nil` for the highest.
    func encode(_ audio: Tensor, bandwidth: Double?) throws -> EncodedAudio

    /// Decodes codes back to audio `[channelCount, sampleCount]`, cropped to
    /// `encoded.sampleCount`.
    func decode(_ encoded: EncodedAudio) throws -> Tensor

    /// Encodes long audio in bounded memory: the codec asks `read` for the samples it needs,
    /// a few seconds at a time (ranges ascending, possibly overlapping), each as
    /// `[channelCount, range.count]`. Gives the codes `encode` gives for the whole audio
    /// (within fp32 rounding; see each model for how it cuts the audio).
    func encode(sampleCount: Int, bandwidth: Double?,
                reading read: (Range<Int>) throws -> Tensor) throws -> EncodedAudio

    /// Decodes long audio in bounded memory: `write` receives consecutive blocks
    /// `[channelCount, n]` that add up to `encoded.sampleCount` samples, equal to `decode`'s
    /// output within fp32 rounding.
    func decode(_ encoded: EncodedAudio, writing write: (Tensor) throws -> Void) throws
}

/// The identity of a codec's weights, stored in `.harpc` files so codes are never decoded by a
/// model other than the one that made them.
public struct CodecIdentity: Sendable, Equatable, Codable {
    /// The family and configuration, e.g. `encodec_24khz`, `dac_44khz`.
    public var name: String
    /// A hexadecimal fingerprint of the weights file's bytes.
    public var weightsHash: String

    public init(name: String, weightsHash: String) {
        self.name = name
        self.weightsHash = weightsHash
    }
}

/// The codes a codec produced for one piece of audio.
public struct EncodedAudio: Sendable, Equatable {
    /// Codes `[chunkCount, codebookCount, frameCount]`: one chunk for whole-file models,
    /// EnCodec 48 kHz's chunks otherwise. Every value lies in `0..<codebookSize`.
    public var codes: IntTensor
    /// Per-chunk loudness scales (EnCodec 48 kHz's `normalize`), or `nil`.
    public var scales: [Float]?
    /// The number of audio samples the codes stand for (the decoder's output is cropped to it).
    public var sampleCount: Int
    /// The bandwidth (kbit/s) the codes were made at.
    public var bandwidth: Double

    public init(codes: IntTensor, scales: [Float]?, sampleCount: Int, bandwidth: Double) {
        self.codes = codes
        self.scales = scales
        self.sampleCount = sampleCount
        self.bandwidth = bandwidth
    }

    public var chunkCount: Int { codes.shape[0] }
    public var codebookCount: Int { codes.shape[1] }
    public var frameCount: Int { codes.shape[2] }
}

extension NeuralCodec {
    /// The whole-file fallback: reads all samples at once and calls `encode(_:bandwidth:)`.
    /// Codecs that can bound their memory provide their own.
    public func encode(sampleCount: Int, bandwidth: Double?,
                       reading read: (Range<Int>) throws -> Tensor) throws -> EncodedAudio {
        try encode(try read(0..<sampleCount), bandwidth: bandwidth)
    }

    /// The whole-file fallback: decodes everything, then writes it as one block.
    public func decode(_ encoded: EncodedAudio, writing write: (Tensor) throws -> Void) throws {
        try write(try decode(encoded))
    }
}
