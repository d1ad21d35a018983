import Foundation
import HarpTensor
import HarpTestSupport
import Testing
@testable import HarpDSP

/// `istft` against torch.istft fixtures, round trips, and finite differences; `overlapAdd`
/// against a Double reference.
struct InverseSTFTTests {
    struct Case { var name: String, nFFT: Int, hop: Int, windowLength: Int, center: Bool, normalized: Bool, length: Int? }

    // Mirrors ISTFT_CASES in tools/make_dsp_fixtures.py.
    static let cases = [
        Case(name: "hann_center", nFFT: 64, hop: 16, windowLength: 48, center: true, normalized: false, length: nil),
        Case(name: "hann_center_length_short", nFFT: 64, hop: 16, windowLength: 64, center: true, normalized: false,
             length: 120),
        Case(name: "hann_center_length_long", nFFT: 32, hop: 8, windowLength: 32, center: true, normalized: false,
             length: 190),
        Case(name: "hamming_nocenter_normalized", nFFT: 32, hop: 8, windowLength: 32, center: false, normalized: true,
             length: nil),
    ]

    @Test(arguments: cases.map(\.name))
    func istftMatchesTorch(_ name: String) throws {
        let c = Self.cases.first { $0.name == name }!
        let fixtures = try SpectralFixtures.load("spectral_stft")
        let prefix = "istft/\(name)"
        let spectrum = leaf(try fixtures.require("\(prefix)/spectrum"))
        let output = istft(spectrum, nFFT: c.nFFT, hop: c.hop, windowLength: c.windowLength,
                           window: try fixtures.require("\(prefix)/window"), center: c.center,
                           normalized: c.normalized, length: c.length)
        expectCloseToFixture(output, try fixtures.require("\(prefix)/output"), "\(prefix) forward")
        output.backward(seed: try fixtures.require("\(prefix)/cotangent"))
        expectCloseToFixture(spectrum.grad!, try fixtures.require("\(prefix)/grad_spectrum"), "\(prefix) gradient")
    }

    @Test func istftInvertsStft() {
        let x = Tensor.sample([3, 1000], low: -1, high: 1, seed: 11)
        let window = Windows.hann(200)
        let spectrum = stft(x, nFFT: 256, hop: 64, windowLength: 200, window: window)
        let y = istft(spectrum, nFFT: 256, hop: 64, windowLength: 200, window: window, length: 1000)
        expectClose(y, x, relative: 1e-5, absolute: 2e-6, "istft(stft(x)) with length")
        // Without `length`, centring keeps hop·(frames − 1) samples: 16 frames here, so the first 960.
        let short = istft(spectrum, nFFT: 256, hop: 64, windowLength: 200, window: window)
        #expect(short.shape == [3, 64 * 15])
        expectClose(short, x.sliced(alongAxis: 1, end: 960), relative: 1e-5, absolute: 2e-6, "istft(stft(x))")
        // Two-sided spectra invert too.
        let full = stft(x, nFFT: 256, hop: 64, window: Windows.hann(256), onesided: false)
        expectClose(istft(full, nFFT: 256, hop: 64, window: Windows.hann(256), length: 1000), x,
                    relative: 1e-5, absolute: 2e-6, "two-sided round trip")
    }

    @Test func istftGradientMatchesFiniteDifferences() {
        let spectrum = Tensor.sample([2, 5, 6, 2], seed: 13)
        GradientChecker.check([spectrum], "istft centred") { inputs in
            istft(inputs[0], nFFT: 8, hop: 3, windowLength: 7, window: Windows.hann(7))
        }
        GradientChecker.check([spectrum], "istft, length past the end, normalized") { inputs in
            istft(inputs[0], nFFT: 8, hop: 3, window: Windows.hann(8, periodic: false).clamped(min: 0.1),
                  center: false, normalized: true, length: 30)
        }
    }

    @Test func overlapAddMatchesReference() {
        let frames = Tensor.sample([2, 4, 5], seed: 17)
        GradientChecker.checkAgainstReference([frames], "overlapAdd", reference: { inputs in
            var out = [Double](repeating: 0, count: 2 * 14)
            for r in 0..<2 { for f in 0..<4 { for j in 0..<5 { out[r * 14 + f * 3 + j] += inputs[0][(r * 4 + f) * 5 + j] } } }
            return out
        }) { overlapAdd($0[0], hop: 3) }
    }
}
