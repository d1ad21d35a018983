import Foundation
@testable import HarpGenerate
import HarpTensor
import Testing

/// Temperature, top-k and top-p as `transformers`' warpers define them, and seeded draws.
@Suite struct TokenSamplerTests {
    @Test func topKKeepsTheLargestLogitsAndTheirTies() {
        let p = TokenSampler.filtered([1, 3, 2, 3, 0], SamplingOptions(topK: 2, topP: 1))
        #expect(p[0] == 0 && p[2] == 0 && p[4] == 0)
        #expect(abs(p[1] - 0.5) < 1e-6 && abs(p[3] - 0.5) < 1e-6)
    }

    @Test func topPKeepsTheSmallestSetReachingTheMass() {
        // Probabilities 0.5, 0.3, 0.15, 0.05: top-p 0.75 keeps the first two (0.05 + 0.15 ≤ 0.25 are removed).
        let logits = [0.5, 0.3, 0.15, 0.05].map { Float(log(Double($0))) }
        let p = TokenSampler.filtered(logits, SamplingOptions(topK: 0, topP: 0.75))
        #expect(p[2] == 0 && p[3] == 0)
        #expect(abs(p[0] - 0.625) < 1e-5 && abs(p[1] - 0.375) < 1e-5)
    }

    @Test func topPAlwaysKeepsTheMostLikelyToken() {
        let p = TokenSampler.filtered([5, 1, 0], SamplingOptions(topK: 0, topP: 0.01))
        #expect(p == [1, 0, 0])
    }

    @Test func temperatureSharpensBeforeFiltering() {
        let cold = TokenSampler.filtered([1, 0], SamplingOptions(temperature: 0.5, topK: 0))
        #expect(abs(cold[0] - Float(1 / (1 + exp(-2.0)))) < 1e-6)
    }

    @Test func drawsAreReproducibleBySeedAndDifferAcrossSeeds() {
        let logits = Tensor(shape: [8, 16], values: (0..<128).map { Float($0 % 16) * 0.1 })
        func draws(_ seed: UInt64) -> [Int32] {
            var sampler = TokenSampler(options: SamplingOptions(topK: 0, seed: seed))
            return (0..<4).flatMap { _ in sampler.tokens(from: logits) }
        }
        #expect(draws(7) == draws(7))
        #expect(draws(7) != draws(8))
    }

    @Test func greedyTakesTheFirstMaximum() {
        var sampler = TokenSampler(options: nil)
        #expect(sampler.tokens(from: Tensor(shape: [2, 3], values: [0, 2, 2, 5, 1, 5])) == [1, 0])
    }

    @Test func optionsOutOfRangeAreOneLineErrors() {
        #expect(throws: GenerateError.self) { try SamplingOptions(topP: 0).validate() }
        #expect(throws: GenerateError.self) { try SamplingOptions(topP: 1.5).validate() }
        #expect(throws: GenerateError.self) { try SamplingOptions(temperature: 0).validate() }
        #expect(throws: GenerateError.self) { try SamplingOptions(topK: -1).validate() }
        #expect((try? SamplingOptions(topK: 0, topP: 1).validate()) != nil)
    }
}
