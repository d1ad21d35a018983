import Foundation
import HarpGenerate
import HarpTensor
import Testing

/// Generation beyond greedy parity: the cache gives what a full recomputation gives, sampling is
/// reproducible by seed, options are checked, and a stop request stops.
@Suite struct MusicgenGenerationTests {
    let model: MusicgenModel
    let ids: IntTensor
    let mask: IntTensor

    init() throws {
        model = try MusicgenModel.load(folder: OracleFolder.url)
        let io = try OracleFolder.io()
        ids = try io.integerTensor(named: "input_ids")
        mask = try io.integerTensor(named: "attention_mask")
    }

    /// Step-by-step decoding through the cache equals one teacher-forced pass over the same tokens.
    @Test func cachedStepsMatchAFullForwardPass() throws {
        let io = try OracleFolder.io()
        let tokens = try io.integerTensor(named: "decoder_input_ids")   // [batch·codebooks, steps]
        let codebooks = model.configuration.decoder.codebookCount
        let (batch, steps) = (tokens.shape[0] / codebooks, tokens.shape[1])
        let full = withoutGradients { model.logits(ids: ids, mask: mask, decoderTokens: tokens) }
            .reshaped([batch, codebooks, steps, -1])
        let memory = withoutGradients { model.decoder.memory(conditioning: model.conditioning(ids: ids, mask: mask).states, mask: mask) }
        let cache = model.decoder.makeCache(batch: batch, capacity: steps)
        let grid = tokens.reshaped([batch, codebooks, steps])
        for t in 0..<steps {
            var column = IntTensor(repeating: 0, shape: [batch, codebooks, 1])
            for b in 0..<batch { for k in 0..<codebooks { column[b, k, 0] = grid[b, k, t] } }
            let step = withoutGradients { model.decoder(column, cache: cache, memory: memory) }
            let expected = full.sliced(alongAxis: 2, start: t, end: t + 1)
            let error = zip(step.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
            #expect(error < 1e-4, "step \(t): \(error)")
        }
        #expect(cache.length == steps)
    }

    @Test func samplingIsReproducibleBySeed() throws {
        func run(_ seed: UInt64) throws -> IntTensor {
            try model.generate(ids: ids, mask: mask, options: GenerationOptions(
                steps: 12, guidanceScale: 3, sampling: SamplingOptions(temperature: 1, topK: 20, topP: 0.9, seed: seed))).codes
        }
        let first = try run(5)
        #expect(first.shape == [2, 4, 9])
        #expect(try run(5) == first)
        #expect(try run(6) != first)
        #expect(first.scalars.allSatisfy { $0 >= 0 && $0 < 64 })
    }

    @Test func tooManyStepsNamesTheLimit() {
        do {
            _ = try model.generate(ids: ids, mask: mask, options: GenerationOptions(steps: 10_000))
            Issue.record("generated beyond the position table")
        } catch {
            #expect(error.description.contains("limit of \(model.maximumSteps)"), "\(error)")
        }
    }

    @Test func badTokenIdsAreRejected() {
        let bad = IntTensor(shape: [1, 2], scalars: [5, 1000])
        #expect(throws: GenerateError.self) {
            _ = try model.generate(ids: bad, mask: IntTensor(repeating: 1, shape: [1, 2]), options: GenerationOptions(steps: 8))
        }
    }

    @Test func cancellationStopsBetweenSteps() {
        var completed = 0
        do {
            _ = try model.generate(ids: ids, mask: mask, options: GenerationOptions(steps: 16),
                                   progress: { completed = $0 }, isCancelled: { completed >= 3 })
            Issue.record("not stopped")
        } catch {
            #expect(error == .cancelled)
            #expect(completed == 3)
        }
    }
}
