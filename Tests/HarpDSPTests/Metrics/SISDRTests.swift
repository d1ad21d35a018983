import Foundation
import HarpTensor
import HarpTestSupport
import Testing
@testable import HarpDSP

/// SI-SDR against auraloss's `SISDRLoss` (negated), with and without zero mean.
struct SISDRTests {
    @Test(arguments: [true, false])
    func matchesAuraloss(zeroMean: Bool) throws {
        let fixtures = try SpectralFixtures.load("spectral_metrics")
        let estimate = leaf(try fixtures.require("sisdr/estimate"))
        let reference = leaf(try fixtures.require("sisdr/reference"))
        let prefix = "sisdr/zero_mean_\(zeroMean)"
        let value = scaleInvariantSDR(estimate, reference, zeroMean: zeroMean)
        #expect(value.shape == [3])
        expectClose(value, try fixtures.require("\(prefix)/output"), relative: 1e-5, absolute: 1e-5, "\(prefix) value (dB)")
        value.backward(seed: try fixtures.require("\(prefix)/cotangent"))
        expectCloseToFixture(estimate.grad!, try fixtures.require("\(prefix)/grad_estimate"), "\(prefix) ∂/∂estimate")
        expectCloseToFixture(reference.grad!, try fixtures.require("\(prefix)/grad_reference"), "\(prefix) ∂/∂reference")
    }

    @Test func isScaleInvariant() {
        let reference = Tensor.sample([2, 400], seed: 31)
        let estimate = reference + 0.1 * Tensor.sample([2, 400], seed: 32)
        let a = scaleInvariantSDR(estimate, reference).scalars
        let b = scaleInvariantSDR(estimate * 3, reference).scalars
        let c = scaleInvariantSDR(estimate, reference * 0.25).scalars
        expectClose(b, a, relative: 1e-4, absolute: 1e-4, "estimate scaled")
        expectClose(c, a, relative: 1e-4, absolute: 1e-4, "reference scaled")
        #expect(a.allSatisfy { $0 > 15 && $0 < 30 })   // noise at −20 dB relative to the reference
    }

    @Test func gradientMatchesFiniteDifferences() {
        let reference = Tensor.sample([2, 12], seed: 33)
        let estimate = (reference + 0.5 * Tensor.sample([2, 12], seed: 34)).detached()
        GradientChecker.check([estimate, reference], "si-sdr") { scaleInvariantSDR($0[0], $0[1]) }
    }
}
