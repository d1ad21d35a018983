import Foundation
import HarpTensor
import Testing
@testable import HarpLatent

/// Decoding with more than one step: the σ schedule is the package's, and the result depends on
/// the seed only through the noise.
@Suite struct MultiStepDecodingTests {
    /// `music2latent.utils.get_sigma(n + 1 − k, n + 1)` for k = 0 ..< n, printed by the package
    /// (0.1.8) for n = 4: 80, 17.5278, 2.51522, 0.169753 (and 0.002 after the last step).
    @Test func noiseLevelsFollowThePackagesSchedule() {
        let c = LatentConfiguration()
        let expected: [Float] = [80.0, 17.52783196464411, 2.515218976147159, 0.16975275626876413, 0.002]
        for (k, sigma) in expected.enumerated() {
            let value = NoiseSchedule.sigma(index: 5 - k, stepCount: 4, configuration: c)
            #expect(abs(value - sigma) <= 1e-5 * sigma, "step \(k): \(value) vs \(sigma)")
        }
        #expect(NoiseSchedule.sigma(index: 2, stepCount: 1, configuration: c) == 80)
        #expect(abs(NoiseSchedule.sigma(index: 2, stepCount: 2, configuration: c) - 2.515218976147159) < 1e-5)
    }

    @Test func stepsAreReproducibleFromTheSeed() throws {
        let model = try TinyLatentModel.make()
        var source = RandomGenerator(seed: 9)
        let latents = Tensor.normal([1, 4, 2], generator: &source)
        func decode(steps: Int, seed: UInt64) throws -> [Float] {
            var generator = RandomGenerator(seed: seed)
            return try model.decode(latents, steps: steps, generator: &generator).scalars
        }
        let twoSteps = try decode(steps: 2, seed: 1)
        #expect(try decode(steps: 2, seed: 1) == twoSteps)
        #expect(try decode(steps: 2, seed: 2) != twoSteps)
        #expect(try decode(steps: 1, seed: 1) != twoSteps)
        #expect(twoSteps.allSatisfy { $0.isFinite && abs($0) <= 1 })
    }
}
