import Foundation

/// Converts one audio file into a WAV or FLAC file, streaming: read a chunk, mix channels,
/// resample, write; the output appears (by rename) only when everything succeeded.
public struct AudioFileConverter: Sendable {
    /// Output sample rate in Hz; nil keeps the input's.
    public var sampleRate: Int?
    public var channelMixing: ChannelMixing
    /// Output encoding; nil picks one from the input (see `AudioFormat.forWriting`).
    public var encoding: AudioFormat.SampleEncoding?
    public var chunkFrameCount: Int

    public init(sampleRate: Int? = nil, channelMixing: ChannelMixing = .all,
                encoding: AudioFormat.SampleEncoding? = nil, chunkFrameCount: Int = 65_536) {
        self.sampleRate = sampleRate
        self.channelMixing = channelMixing
        self.encoding = encoding
        self.chunkFrameCount = chunkFrameCount
    }

    /// What was written.
    public struct Result: Sendable {
        public let format: AudioFormat
        public let sampleRate: Int
        public let channelCount: Int
        public let frameCount: Int
    }

    /// Converts `inputPath` to `outputPath`, whose extension (.wav or .flac) picks the container.
    ///
    /// Refuses to write over the input (compared by resolved path and by file identity) and
    /// refuses audio holding NaN or Inf samples, which have no meaning in an integer file and
    /// would silently become full-scale clicks; in both cases nothing is written.
    public func convert(inputPath: String, outputPath: String) throws -> Result {
        if let sampleRate { try AudioFormat.validate(sampleRate: sampleRate) }
        let reader = try AudioFileReader(path: inputPath)
        if FilePaths.referToSameFile(inputPath, outputPath) { throw AudioError.outputIsInput(path: outputPath) }
        let format = try AudioFormat.forWriting(path: outputPath, encoding: encoding,
                                                inputEncoding: reader.format.encoding)
        let channelCount = try channelMixing.outputChannelCount(inputChannelCount: reader.channelCount)
        let outputRate = sampleRate ?? reader.sampleRate
        let resampler = outputRate == reader.sampleRate ? nil
            : try Resampler(inputSampleRate: reader.sampleRate, outputSampleRate: outputRate,
                            channelCount: channelCount)
        let writer = try AudioFileWriter(path: outputPath, format: format, sampleRate: outputRate,
                                         channelCount: channelCount)
        var statistics = AudioStatistics()
        while let chunk = try reader.read(maxFrameCount: chunkFrameCount) {
            statistics.accumulate(chunk)
            if let first = statistics.firstNonFiniteFrame {
                throw AudioError.nonFiniteSamples(path: inputPath, sampleCount: statistics.nonFiniteSampleCount,
                                                  firstFrame: first)
            }
            let mixed = channelMixing.applied(to: chunk)
            try writer.write(resampler?.process(mixed) ?? mixed)
        }
        if let resampler { try writer.write(resampler.flush()) }
        try writer.commit()
        return Result(format: format, sampleRate: outputRate, channelCount: channelCount,
                      frameCount: writer.framesWritten)
    }
}
