import Foundation
import HarpTensor
import HarpTestSupport
import Testing
@testable import HarpDSP

/// Log-spectral distance against a torch float64 transcription of its documented definition.
struct LogSpectralDistanceTests {
    @Test func matchesTorchReference() throws {
        let fixtures = try SpectralFixtures.load("spectral_metrics")
        let estimate = leaf(try fixtures.require("lsd/estimate"))
        let reference = leaf(try fixtures.require("lsd/reference"))
        let value = logSpectralDistance(estimate, reference, nFFT: 256, hop: 64)
        #expect(value.shape == [2])
        expectClose(value, try fixtures.require("lsd/output"), relative: 1e-4, absolute: 1e-4, "LSD (dB)")
        value.backward(seed: try fixtures.require("lsd/cotangent"))
        // Power ratios in dB differentiate to 1/P per bin, so near-empty bins amplify float32 FFT
        // rounding: 1e-3 of the largest gradient.
        expectCloseToFixture(estimate.grad!, try fixtures.require("lsd/grad_estimate"), relative: 1e-3, floor: 1,
                             "∂/∂estimate")
        expectCloseToFixture(reference.grad!, try fixtures.require("lsd/grad_reference"), relative: 1e-3, floor: 1,
                             "∂/∂reference")
    }

    @Test func identicalSignalsAreAtZeroWithFiniteGradient() {
        let x = leaf(Tensor.sample([1, 2048], seed: 41))
        let value = logSpectralDistance(x, x.detached(), nFFT: 256, hop: 64)
        #expect(value.item < 1e-5)
        value.backward()
        #expect(x.grad!.scalars.allSatisfy { $0.isFinite })
    }

    @Test func gainOffsetIsItsDecibels() {
        // Scaling by g changes every power by g², i.e. 20·log₁₀ g dB in every bin.
        let x = Tensor.sample([1, 4096], seed: 43)
        let value = logSpectralDistance(x * 2, x, nFFT: 512, hop: 128).item
        #expect(Swift.abs(value - Float(20 * log10(2.0))) < 1e-3, "\(value)")
    }
}
