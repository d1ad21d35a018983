import Foundation
import HarpTensor
import Testing
@testable import HarpLatent

/// Chunked encoding and decoding: one chunk is exactly the whole-file pass; several chunks give
/// the right lengths, keep each chunk's own frames, and cross-fade continuously.
@Suite struct LongAudioTests {
    let model: ConsistencyAutoencoder
    let step: Int

    init() throws {
        model = try TinyLatentModel.make()
        step = model.configuration.samplesPerLatentFrame
    }

    @Test func oneChunkIsTheWholeFilePass() throws {
        let audio = TinyLatentModel.audio(channels: 2, samples: 10 * step + 100)
        let whole = try model.encode(audio)
        #expect(whole.shape == [2, 4, 10])
        let chunked = try model.encodeLong(sampleCount: audio.shape[1]) { audio.sliced(alongAxis: 1, start: $0.lowerBound, end: $0.upperBound) }
        #expect(chunked.scalars == whole.scalars)

        var noiseGenerator = RandomGenerator(seed: 2)
        let noise = Tensor.normal(model.spectrogramShape(whole), generator: &noiseGenerator)
        var g1 = RandomGenerator(seed: 3), g2 = RandomGenerator(seed: 3)
        let decoded = try model.decode(whole, noise: noise, generator: &g1)
        var blocks: [Tensor] = []
        try model.decodeLong(whole, noise: noise, generator: &g2) { blocks.append($0) }
        #expect(blocks.count == 1 && blocks[0].scalars == decoded.scalars)
        #expect(decoded.shape == [2, 10 * step + 3 * model.configuration.hop])
    }

    @Test func chunkedEncodingKeepsEachChunksFramesWithContext() throws {
        let frames = 11
        let audio = TinyLatentModel.audio(channels: 1, samples: frames * step + 3 * model.configuration.hop)
        let chunking = ConsistencyAutoencoder.Chunking(frames: 4, overlap: 2)
        var ranges: [Range<Int>] = []
        let latents = try model.encodeLong(sampleCount: audio.shape[1], chunking: chunking) { range in
            ranges.append(range)
            return audio.sliced(alongAxis: 1, start: range.lowerBound, end: range.upperBound)
        }
        #expect(latents.shape == [1, 4, frames])
        #expect(ranges.count == 3)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.lowerBound <= $1.lowerBound })   // ascending reads
        // The second chunk (frames 4..<8) is encoded from frames 2..<10 and keeps its middle.
        let window = audio.sliced(alongAxis: 1, start: 2 * step, end: 10 * step + 3 * model.configuration.hop)
        let expected = try model.encode(window).sliced(alongAxis: 2, start: 2, end: 6)
        #expect(latents.sliced(alongAxis: 2, start: 4, end: 8).scalars == expected.scalars)
    }

    @Test func chunkedDecodingCrossFadesToTheFullLength() throws {
        var generator = RandomGenerator(seed: 5)
        let latents = Tensor.normal([2, 4, 9], generator: &generator)
        let noise = Tensor.normal(model.spectrogramShape(latents), generator: &generator)
        var blocks: [Tensor] = []
        try model.decodeLong(latents, noise: noise, chunking: .init(frames: 4, overlap: 1), generator: &generator) {
            blocks.append($0)
        }
        let audio = Tensor.concatenated(blocks, alongAxis: 1)
        #expect(audio.shape == [2, 9 * step + 3 * model.configuration.hop])
        #expect(audio.scalars.allSatisfy { $0.isFinite && abs($0) <= 1 })
        // Before the first shared region the audio is the first chunk's own decode.
        var unused = RandomGenerator(seed: 0)
        let first = try model.decode(latents.sliced(alongAxis: 2, end: 4),
                                     noise: noise.sliced(alongAxis: 3, end: 4 * model.configuration.downscalingFactor),
                                     generator: &unused)
        #expect(blocks[0].shape[1] == 3 * step)
        #expect(blocks[0].scalars == first.sliced(alongAxis: 1, end: 3 * step).scalars)
    }
}
