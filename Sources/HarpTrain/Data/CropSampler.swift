import HarpTensor

/// Where the random crops of a training run come from: crop `i` is a pure function of the seed and
/// `i`, so a run resumed at any step draws exactly what an uninterrupted one would, and processes
/// of a data-parallel run draw disjoint parts of the same sequence.
///
/// A clip is picked with probability proportional to its length (every second of the corpus is
/// equally likely), then an offset uniformly inside it. A clip shorter than the crop starts at 0
/// and is padded with silence.
public struct CropSampler: Sendable {
    public let cropSampleCount: Int
    public let seed: UInt64
    /// Running sums of the clips' sample counts (the last is the total).
    private let cumulativeSamples: [Int]
    private let sampleCounts: [Int]

    public init(clips: [CachedClip], cropSampleCount: Int, seed: UInt64) {
        precondition(!clips.isEmpty && cropSampleCount > 0)
        self.cropSampleCount = cropSampleCount
        self.seed = seed
        sampleCounts = clips.map(\.sampleCount)
        var running = 0
        cumulativeSamples = clips.map { running += max($0.sampleCount, 1); return running }
    }

    /// The clip and start sample of crop `index`.
    public func crop(at index: Int) -> (clip: Int, start: Int) {
        let total = cumulativeSamples[cumulativeSamples.count - 1]
        let pick = Int(RandomGenerator.bits(seed: seed, counter: UInt64(2 * index)) % UInt64(total))
        let clip = firstIndex(above: pick)
        let room = sampleCounts[clip] - cropSampleCount
        guard room > 0 else { return (clip, 0) }
        let start = Int(RandomGenerator.bits(seed: seed, counter: UInt64(2 * index + 1)) % UInt64(room + 1))
        return (clip, start)
    }

    /// The clip whose span of the running sums holds `sample`.
    private func firstIndex(above sample: Int) -> Int {
        var low = 0, high = cumulativeSamples.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulativeSamples[middle] > sample { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
