import Foundation
import HarpTensor
import Testing
@testable import HarpTrain

/// Random crops: a pure function of seed and index, inside their clips, weighted by length;
/// batches prefetched on another thread equal batches made in place; processes share the work.
struct BatchSourceTests {
    static func clips(_ lengths: [Int]) -> [CachedClip] {
        lengths.enumerated().map { CachedClip(sourcePath: "\($0.offset)", relativePath: "\($0.offset)", cachePath: "",
                                               sampleCount: $0.element, channelCount: 1) }
    }

    @Test func cropsLieInsideTheirClipsAndFollowTheirLengths() {
        let sampler = CropSampler(clips: Self.clips([1000, 3000, 50]), cropSampleCount: 100, seed: 9)
        var counts = [0, 0, 0]
        for index in 0..<4000 {
            let (clip, start) = sampler.crop(at: index)
            counts[clip] += 1
            if clip == 2 { #expect(start == 0) } else { #expect(start >= 0 && start + 100 <= [1000, 3000][clip]) }
        }
        // Expected shares 1000 : 3000 : 50 of 4050.
        #expect(Swift.abs(Double(counts[1]) / 4000 - 3000.0 / 4050) < 0.03)
        #expect(Swift.abs(Double(counts[0]) / 4000 - 1000.0 / 4050) < 0.03)
        let again = CropSampler(clips: Self.clips([1000, 3000, 50]), cropSampleCount: 100, seed: 9)
        #expect((0..<50).allSatisfy { again.crop(at: $0) == sampler.crop(at: $0) })
        let other = CropSampler(clips: Self.clips([1000, 3000, 50]), cropSampleCount: 100, seed: 10)
        #expect(!(0..<50).allSatisfy { other.crop(at: $0) == sampler.crop(at: $0) })
    }

    @Test func prefetchedBatchesEqualBatchesMadeInPlaceAndProcessesSplitTheWork() throws {
        let folder = try CorpusFolder()
        for i in 0..<4 { try folder.sine("t\(i).wav", seconds: 0.3 + 0.1 * Double(i), rate: 8000, frequency: 200 + 100 * Double(i)) }
        let corpus = try AudioCorpus.build(paths: [folder.url.path],
                                           configuration: AudioCorpusConfiguration(sampleRate: 8000, heldOutFraction: 0.1),
                                           cacheFolder: folder.cache)
        let single = BatchSource(clips: corpus.training, cropSampleCount: 512, batchSize: 4, seed: 3)
        let batches = try (0..<3).map { try single.batch(at: $0) }   // 1 and 2 come from the prefetcher
        #expect(batches[0].shape == [4, 1, 512])
        for step in 0..<3 { #expect(batches[step].scalars == (try single.assemble(step))) }
        // Two processes with batch 2 see, together, what one process with batch 4 sees.
        let ranks = (0..<2).map { BatchSource(clips: corpus.training, cropSampleCount: 512, batchSize: 2, seed: 3,
                                              rank: $0, processCount: 2) }
        for step in 0..<3 {
            let joined = try ranks[0].batch(at: step).scalars + ranks[1].batch(at: step).scalars
            #expect(joined == batches[step].scalars)
        }
        // A resumed run asks for step 2 first and gets what the uninterrupted run got.
        let resumed = BatchSource(clips: corpus.training, cropSampleCount: 512, batchSize: 4, seed: 3)
        #expect(try resumed.batch(at: 2).scalars == batches[2].scalars)
    }
}
