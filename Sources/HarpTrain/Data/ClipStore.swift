import Foundation
import HarpTensor

/// Reads spans of cached clips through memory maps (opened on first use, kept for the run), so
/// a crop costs only the pages it touches.
public final class ClipStore: @unchecked Sendable {
    public let clips: [CachedClip]
    private var maps: [Int: Data] = [:]
    private let lock = NSLock()

    public init(clips: [CachedClip]) {
        self.clips = clips
    }

    /// Samples `start ..< start + length` of clip `index` as planar `[channels, length]` floats;
    /// past the clip's end reads as silence.
    public func samples(ofClip index: Int, from start: Int, length: Int) throws -> [Float] {
        let clip = clips[index]
        let data = try map(index)
        let channels = clip.channelCount
        var planar = [Float](repeating: 0, count: channels * length)
        let available = max(0, min(length, clip.sampleCount - start))
        data.withUnsafeBytes { raw in
            for frame in 0..<available {
                let base = ((start + frame) * channels) * 2
                for channel in 0..<channels {
                    let value = Int16(littleEndian: raw.loadUnaligned(fromByteOffset: base + channel * 2, as: Int16.self))
                    planar[channel * length + frame] = Float(value) * (1 / 32768)
                }
            }
        }
        return planar
    }

    private func map(_ index: Int) throws -> Data {
        lock.lock()
        defer { lock.unlock() }
        if let data = maps[index] { return data }
        let data = try Data(contentsOf: URL(fileURLWithPath: clips[index].cachePath), options: .alwaysMapped)
        guard data.count >= clips[index].sampleCount * clips[index].channelCount * 2 else {
            throw AudioCorpusError.cache("\(clips[index].cachePath) is shorter than when it was made")
        }
        maps[index] = data
        return data
    }
}
