import Foundation
import HarpAudio
import HarpTensor

/// The segment of a recording an instrument is fitted to, prepared as the seed prepares it:
/// mixed to mono, resampled to the model's rate, cut at an offset to the model's length and
/// divided by its peak (`max_norm`, sign kept).
public struct TargetClip {
    /// `[samples]`, peak 1.
    public let samples: Tensor
    /// The peak of the segment before normalisation (full scale = 1).
    public let originalPeak: Float

    /// Reads `path` (anything libsndfile reads) without loading more than the segment needs.
    ///
    /// - Parameter followingShorterClip: when the clip ends before `configuration.sampleCount`
    ///   samples, take what it has, cut to whole frames (`configuration.lengthQuantum`), instead of
    ///   refusing; `samples.count` then says how long the segment (and the model fitted to it) is.
    /// - Throws: `AudioError` for unreadable files; `InstrumentError` when the segment is shorter
    ///   than the model (or, following a shorter clip, than `minimumSampleCount`), silent (peak
    ///   below −80 dBFS) or not finite.
    public init(path: String, offsetSeconds: Double, configuration: InstrumentConfiguration,
                followingShorterClip: Bool = false) throws {
        guard offsetSeconds >= 0, offsetSeconds.isFinite else {
            throw InstrumentError.invalidConfiguration("offset must be a non-negative number of seconds")
        }
        let available = try Self.readSegment(path: path, offsetSeconds: offsetSeconds, configuration: configuration)
        let rate = Double(configuration.sampleRate)
        var length = configuration.sampleCount
        if available.count < length {
            let needed = followingShorterClip ? configuration.minimumSampleCount : configuration.sampleCount
            guard followingShorterClip, available.count >= needed else {
                throw InstrumentError.clipTooShort(seconds: Double(available.count) / rate, needed: Double(needed) / rate)
            }
            length = available.count / configuration.lengthQuantum * configuration.lengthQuantum
        }
        try self.init(segment: Array(available.prefix(length)))
    }

    /// The clip from `offsetSeconds`, mono at the model's rate, at most `configuration.sampleCount` samples.
    private static func readSegment(path: String, offsetSeconds: Double, configuration: InstrumentConfiguration) throws -> ArraySlice<Float> {
        let reader = try AudioFileReader(path: path)
        defer { reader.close() }
        let neededSeconds = Double(configuration.sampleCount) / Double(configuration.sampleRate)
        // Read the offset plus the segment plus a margin for the resampler's filter, no more.
        let framesWanted = Int(((offsetSeconds + neededSeconds) * Double(reader.sampleRate)).rounded(.up)) + 256
        var mono: [Float] = []
        mono.reserveCapacity(Swift.min(framesWanted, 1 << 24))
        while mono.count < framesWanted, let chunk = try reader.read(maxFrameCount: 65_536) {
            mono += ChannelMixing.mono.applied(to: chunk).samples
        }
        if mono.contains(where: { !$0.isFinite }) { throw InstrumentError.nonFiniteAudio }
        var buffer = AudioBuffer(interleaved: mono, channelCount: 1, sampleRate: reader.sampleRate)
        if reader.sampleRate != configuration.sampleRate {
            buffer = try Resampler.resample(buffer, to: configuration.sampleRate)
        }
        let start = Swift.min(buffer.samples.count, Int((offsetSeconds * Double(configuration.sampleRate)).rounded()))
        let end = Swift.min(buffer.samples.count, start + configuration.sampleCount)
        return buffer.samples[start..<end]
    }

    /// A segment already at the model's rate and length.
    public init(segment: [Float]) throws {
        if segment.contains(where: { !$0.isFinite }) { throw InstrumentError.nonFiniteAudio }
        let peak = segment.reduce(Float(0)) { Swift.max($0, Swift.abs($1)) }
        guard peak >= 1e-4 else { throw InstrumentError.silentClip(peak: peak) }   // −80 dBFS
        originalPeak = peak
        samples = Tensor(segment.map { $0 / (peak + 1e-8) })
    }
}
