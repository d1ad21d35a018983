import Foundation
import HarpAsura
import HarpTensor
import HarpTestSupport
import Testing

/// The streaming generator's own behaviour (its numbers are checked against PyTorch in
/// `AsuraGenerationParityTests`).
@Suite("Asura streaming generator")
struct AsuraGeneratorTests {
    static let model = Result { try AsuraFixture().model() }

    func generator(seed: UInt64, steps: Int = 1) throws -> AsuraGenerator {
        let model = try Self.model.get()
        return AsuraGenerator(model: model, options: AsuraSamplingOptions(steps: steps, contextNoise: 0.02),
                              draws: RandomDraws(generator: RandomGenerator(seed: seed), prior: model.config.prior))
    }

    func latent(_ value: Float) throws -> [Float] {
        [Float](repeating: value, count: try Self.model.get().config.tokenWidth)
    }

    @Test func blocksAreOneHopOfFiniteSound() throws {
        let g = try generator(seed: 1)
        let hop = g.model.config.frameHop
        for _ in 0..<20 {
            let block = g.nextBlock(latent: try latent(0.3))
            #expect(block.count == hop * g.channelCount)
            #expect(block.allSatisfy { $0.isFinite })
        }
        #expect(g.frameIndex == 20)
        #expect(g.finish().count == (g.model.config.frameSamples - hop) * g.channelCount)
    }

    @Test func sameSeedSameSoundAndResetStartsOver() throws {
        let a = try generator(seed: 3), b = try generator(seed: 3)
        let first = try (0..<10).flatMap { _ in a.nextBlock(latent: try latent(0.5)) }
        #expect(first == (try (0..<10).flatMap { _ in b.nextBlock(latent: try latent(0.5)) }))
        a.reset()
        #expect(a.frameIndex == 0)
        let again = try (0..<10).flatMap { _ in a.nextBlock(latent: try latent(0.5)) }
        #expect(again.count == first.count && again != first, "a reset stream draws fresh noise")
    }

    @Test func aLatentChangeShowsInTheNextBlock() throws {
        let a = try generator(seed: 5), b = try generator(seed: 5)
        for _ in 0..<6 {
            #expect(a.nextBlock(latent: try latent(0.2)) == b.nextBlock(latent: try latent(0.2)))
        }
        let same = a.nextBlock(latent: try latent(0.2)), changed = b.nextBlock(latent: try latent(-1.5))
        #expect(same != changed, "the block right after the change already differs")
    }

    @Test func primedContextChangesTheSound() throws {
        let model = try Self.model.get()
        let a = try generator(seed: 7), b = try generator(seed: 7)
        var rng = RandomGenerator(seed: 9)
        b.primeContext(tokens: Tensor.normal([10, model.config.tokenWidth], generator: &rng))
        #expect(a.nextBlock(latent: try latent(0)) != b.nextBlock(latent: try latent(0)))
    }

    @Test func encodingAClipGivesOneLatentPerWindow() throws {
        let model = try Self.model.get()
        let window = model.config.encoderLengthSamples
        var rng = RandomGenerator(seed: 2)
        let clip = Tensor.normal([2, 3 * window + 5], generator: &rng) * 0.2
        let latents = model.latents(ofClip: clip, batchSize: 2)
        #expect(latents.shape == [3, model.config.tokenWidth])
        let second = clip.sliced(alongAxis: 1, start: window, end: 2 * window).permuted([1, 0]).unsqueezed(axis: 0)
        let direct = withoutGradients { model.latents(of: second) }
        expectClose(latents.sliced(alongAxis: 0, start: 1, end: 2), direct, relative: 1e-5, absolute: 1e-6, "window 1")
        #expect(model.latents(ofClip: clip.sliced(alongAxis: 1, start: 0, end: window - 1)).shape == [0, model.config.tokenWidth])
    }
}
