/// How to turn a file's channels into the channels you want.
public enum ChannelMixing: Equatable, Sendable {
    /// Keep every channel as it is.
    case all
    /// Average all channels into one (equal weights, so a mono file is unchanged).
    case mono
    /// Keep these channels, zero-based, in this order.
    case select([Int])

    /// The mixing that turns `inputChannels` channels into `outputChannels`: unchanged when they
    /// are equal; many into one averages; one into many duplicates; many into fewer (but more than
    /// one) keeps the first ones (front left and right of a surround file).
    public static func converting(from inputChannels: Int, to outputChannels: Int) -> ChannelMixing {
        if inputChannels == outputChannels { return .all }
        if outputChannels == 1 { return .mono }
        return .select((0..<outputChannels).map { Swift.min($0, inputChannels - 1) })
    }

    /// The channel count after mixing `inputChannelCount` channels; throws if a selection is out of range.
    public func outputChannelCount(inputChannelCount: Int) throws -> Int {
        switch self {
        case .all: return inputChannelCount
        case .mono: return 1
        case .select(let channels):
            guard !channels.isEmpty else { throw AudioError.invalidArgument("channel selection is empty") }
            if let bad = channels.first(where: { !(0..<inputChannelCount).contains($0) }) {
                throw AudioError.invalidArgument(
                    "channel \(bad) does not exist (the input has \(inputChannelCount) channels)")
            }
            return channels.count
        }
    }

    /// Mixes `buffer`; call `outputChannelCount` first to validate a selection.
    public func applied(to buffer: AudioBuffer) -> AudioBuffer {
        switch self {
        case .all: return buffer
        case .mono: return Self.mixedToMono(buffer)
        case .select(let channels): return Self.selecting(channels, from: buffer)
        }
    }

    private static func mixedToMono(_ buffer: AudioBuffer) -> AudioBuffer {
        let channelCount = buffer.channelCount
        if channelCount == 1 { return buffer }
        let scale = 1 / Float(channelCount)
        var mono = [Float](repeating: 0, count: buffer.frameCount)
        buffer.samples.withUnsafeBufferPointer { input in
            for frame in 0..<mono.count {
                var sum: Float = 0
                for channel in 0..<channelCount { sum += input[frame * channelCount + channel] }
                mono[frame] = sum * scale
            }
        }
        return AudioBuffer(interleaved: mono, channelCount: 1, sampleRate: buffer.sampleRate)
    }

    private static func selecting(_ channels: [Int], from buffer: AudioBuffer) -> AudioBuffer {
        var output = [Float]()
        output.reserveCapacity(buffer.frameCount * channels.count)
        for frame in 0..<buffer.frameCount {
            let base = frame * buffer.channelCount
            for channel in channels { output.append(buffer.samples[base + channel]) }
        }
        return AudioBuffer(interleaved: output, channelCount: channels.count, sampleRate: buffer.sampleRate)
    }
}
