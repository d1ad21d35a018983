/// What `harp info` shows about a file, measured in one streaming pass.
public struct AudioFileSummary: Sendable {
    public let path: String
    public let format: AudioFormat
    public let sampleRate: Int
    public let channelCount: Int
    /// Frames actually decoded (not the header's claim).
    public let frameCount: Int
    public let peakDecibels: Double
    public let rmsDecibels: Double
    /// BS.1770-4 integrated loudness; −∞ for silence or audio shorter than 400 ms.
    public let integratedLoudness: Double
    /// NaN/±Inf samples; they are left out of peak, RMS and loudness.
    public let nonFiniteSampleCount: Int
    public let firstNonFiniteFrame: Int?

    public var durationSeconds: Double { Double(frameCount) / Double(sampleRate) }

    /// Reads `path` chunk by chunk and measures it; memory stays bounded by the chunk size.
    public static func measure(path: String, chunkFrameCount: Int = 65_536) throws -> AudioFileSummary {
        let reader = try AudioFileReader(path: path)
        var statistics = AudioStatistics()
        var meter = try LoudnessMeter(sampleRate: reader.sampleRate, channelCount: reader.channelCount)
        while let chunk = try reader.read(maxFrameCount: chunkFrameCount) {
            statistics.accumulate(chunk)
            meter.process(chunk)
        }
        return AudioFileSummary(
            path: path, format: reader.format, sampleRate: reader.sampleRate,
            channelCount: reader.channelCount, frameCount: reader.framesRead,
            peakDecibels: statistics.peakDecibels, rmsDecibels: statistics.rmsDecibels,
            integratedLoudness: meter.integratedLoudness,
            nonFiniteSampleCount: statistics.nonFiniteSampleCount,
            firstNonFiniteFrame: statistics.firstNonFiniteFrame)
    }

    /// The error to report when the audio holds NaN or Inf, if it does.
    public var nonFiniteError: AudioError? {
        guard nonFiniteSampleCount > 0, let firstNonFiniteFrame else { return nil }
        return .nonFiniteSamples(path: path, sampleCount: nonFiniteSampleCount, firstFrame: firstNonFiniteFrame)
    }
}
