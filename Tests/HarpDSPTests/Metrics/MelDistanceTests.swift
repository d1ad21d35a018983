import Foundation
import HarpTensor
import HarpTestSupport
import Testing
@testable import HarpDSP

/// DAC's multi-scale mel distance against a torch float64 + librosa transcription of its definition.
struct MelDistanceTests {
    @Test func matchesTorchAndLibrosaReference() throws {
        let fixtures = try SpectralFixtures.load("spectral_metrics")
        let estimate = leaf(try fixtures.require("meldistance/estimate"))
        let reference = leaf(try fixtures.require("meldistance/reference"))
        let value = MelDistance(sampleRate: 16000)(estimate, reference)
        expectClose(value, try fixtures.require("meldistance/output"), relative: 1e-4, absolute: 1e-5, "mel distance")
        value.backward()
        // Log-mel differences differentiate to 1/mel per band: near-empty bands amplify float32
        // rounding, so 1e-3 of the largest gradient.
        expectCloseToFixture(estimate.grad!, try fixtures.require("meldistance/grad_estimate"), relative: 1e-3,
                             floor: 1, "∂/∂estimate")
        expectCloseToFixture(reference.grad!, try fixtures.require("meldistance/grad_reference"), relative: 1e-3,
                             floor: 1, "∂/∂reference")
    }

    @Test func identicalSignalsAreAtZeroAndNoiseIsFartherThanGain() {
        let x = Tensor.sample([1, 8000], seed: 5)
        let distance = MelDistance(sampleRate: 16000)
        #expect(distance(x, x).item == 0)
        let noisy = x + Tensor.sample([1, 8000], seed: 6) * 0.3
        #expect(distance(noisy, x).item > distance(x * 1.05, x).item)
    }
}
