/// Float32 audio with its sample rate: interleaved storage, planar views.
///
/// Layout: `samples[frame * channelCount + channel]`, i.e. `[time, channels]` interleaved,
/// which is what libsndfile reads and writes without copying.
public struct AudioBuffer: Equatable, Sendable {
    /// Interleaved samples, `frameCount * channelCount` of them.
    public var samples: [Float]
    public let channelCount: Int
    public let sampleRate: Int

    /// Wraps interleaved samples. `samples.count` must be a multiple of `channelCount`.
    public init(interleaved samples: [Float], channelCount: Int, sampleRate: Int) {
        precondition(channelCount > 0, "channelCount must be positive")
        precondition(samples.count % channelCount == 0, "sample count is not a multiple of channelCount")
        self.samples = samples
        self.channelCount = channelCount
        self.sampleRate = sampleRate
    }

    /// Interleaves planar channels, `[channels][time]`; all channels must have the same length.
    public init(planar channels: [[Float]], sampleRate: Int) {
        precondition(!channels.isEmpty, "need at least one channel")
        let frameCount = channels[0].count
        precondition(channels.allSatisfy { $0.count == frameCount }, "channels differ in length")
        var samples = [Float](repeating: 0, count: frameCount * channels.count)
        for (channel, values) in channels.enumerated() {
            for frame in 0..<frameCount { samples[frame * channels.count + channel] = values[frame] }
        }
        self.init(interleaved: samples, channelCount: channels.count, sampleRate: sampleRate)
    }

    /// An empty buffer with the given layout.
    public static func empty(channelCount: Int, sampleRate: Int) -> AudioBuffer {
        AudioBuffer(interleaved: [], channelCount: channelCount, sampleRate: sampleRate)
    }

    public var frameCount: Int { samples.count / channelCount }
    public var durationSeconds: Double { Double(frameCount) / Double(sampleRate) }

    /// One channel's samples, `[time]`.
    public func channel(_ index: Int) -> [Float] {
        precondition((0..<channelCount).contains(index), "channel \(index) out of range")
        return stride(from: index, to: samples.count, by: channelCount).map { samples[$0] }
    }

    /// All channels, `[channels][time]`.
    public var planar: [[Float]] { (0..<channelCount).map(channel) }

    /// Appends another buffer with the same layout.
    public mutating func append(_ other: AudioBuffer) {
        precondition(other.channelCount == channelCount && other.sampleRate == sampleRate, "layout mismatch")
        samples.append(contentsOf: other.samples)
    }
}
