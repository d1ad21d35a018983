import HarpAudio
import HarpTensor

/// An audio file read, mixed and resampled for a codec a piece at a time, so a long file never
/// sits in memory whole: the codec asks for ascending (possibly overlapping) ranges of samples at
/// its rate, and only the samples from the oldest range still wanted onwards are kept.
///
/// The length at the codec's rate must be known before encoding: it follows from the file's frame
/// count, which is exact in the headers of lossless encodings (PCM, float, FLAC) and otherwise counted by decoding the file
/// once first.
public final class StreamingCodecInput {
    public let sampleRate: Int
    public let channelCount: Int
    /// Samples per channel at `sampleRate`.
    public let sampleCount: Int
    /// The largest absolute sample seen so far.
    public private(set) var peak: Float = 0

    private let path: String
    private let reader: AudioFileReader
    private let mixing: ChannelMixing
    private let resampler: Resampler
    /// Planar samples `[channel][i]` for indices `bufferStart ..< bufferStart + buffered`.
    private var buffer: [[Float]]
    private var bufferStart = 0
    private var finished = false

    public init(path: String, sampleRate: Int, channelCount: Int) throws {
        self.path = path
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        reader = try AudioFileReader(path: path)
        let inputFrames = try Self.frameCount(of: reader, path: path)
        guard inputFrames > 0 else { throw CodecInputError.empty }
        mixing = ChannelMixing.converting(from: reader.channelCount, to: channelCount)
        resampler = try Resampler(inputSampleRate: reader.sampleRate, outputSampleRate: sampleRate,
                                  channelCount: channelCount)
        sampleCount = (inputFrames * resampler.upFactor + resampler.downFactor - 1) / resampler.downFactor
        buffer = Array(repeating: [], count: channelCount)
    }

    /// Samples `range` as `[channelCount, range.count]`; earlier samples are forgotten, so ranges
    /// must not start before an earlier range's start. Past the end reads as silence.
    public func samples(_ range: Range<Int>) throws -> Tensor {
        precondition(range.lowerBound >= bufferStart, "StreamingCodecInput: ranges must ascend")
        while !finished && bufferStart + buffer[0].count < range.upperBound { try readMore() }
        let drop = range.lowerBound - bufferStart
        for channel in 0..<channelCount { buffer[channel].removeFirst(min(drop, buffer[channel].count)) }
        bufferStart = range.lowerBound
        var values = [Float]()
        values.reserveCapacity(channelCount * range.count)
        for channel in 0..<channelCount {
            let available = buffer[channel].prefix(range.count)
            values += available
            values += [Float](repeating: 0, count: range.count - available.count)
        }
        return Tensor(shape: [channelCount, range.count], values: values)
    }

    private func readMore() throws {
        let converted: AudioBuffer
        if let chunk = try reader.read(maxFrameCount: 1 << 16) {
            guard chunk.samples.allSatisfy(\.isFinite) else { throw CodecInputError.notFinite }
            converted = resampler.process(mixing.applied(to: chunk))
        } else {
            converted = resampler.flush()
            finished = true
        }
        for (channel, samples) in converted.planar.enumerated() {
            buffer[channel] += samples
            peak = max(peak, samples.reduce(0) { max($0, abs($1)) })
        }
    }

    /// Frames in the file: the header's count for formats that state it exactly, else counted.
    private static func frameCount(of reader: AudioFileReader, path: String) throws -> Int {
        if reader.format.encoding.isLossless { return reader.declaredFrameCount }
        let counter = try AudioFileReader(path: path)
        var frames = 0
        while let chunk = try counter.read(maxFrameCount: 1 << 16) { frames += chunk.frameCount }
        return frames
    }
}
