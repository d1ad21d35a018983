import Foundation
import HarpTensor
import HarpTestSupport
import Testing
@testable import HarpDSP

/// `stft` against torch.stft fixtures, a naive DFT, and finite differences.
struct STFTTests {
    struct Case {
        var name: String, nFFT: Int, hop: Int, windowLength: Int, center: Bool, padMode: PaddingMode
        var normalized: Bool, onesided: Bool
    }

    // Mirrors STFT_CASES in tools/make_dsp_fixtures.py.
    static let cases = [
        Case(name: "hann_reflect", nFFT: 64, hop: 16, windowLength: 48, center: true, padMode: .reflect,
             normalized: false, onesided: true),
        Case(name: "nocenter_normalized", nFFT: 32, hop: 8, windowLength: 32, center: false, padMode: .reflect,
             normalized: true, onesided: true),
        Case(name: "mono_replicate_twosided", nFFT: 16, hop: 4, windowLength: 12, center: true, padMode: .replicate,
             normalized: false, onesided: false),
        Case(name: "odd_fft_rectangular", nFFT: 31, hop: 7, windowLength: 25, center: true, padMode: .zeros,
             normalized: false, onesided: true),
    ]

    @Test(arguments: cases.map(\.name))
    func stftMatchesTorch(_ name: String) throws {
        let c = Self.cases.first { $0.name == name }!
        let fixtures = try SpectralFixtures.load("spectral_stft")
        let prefix = "stft/\(name)"
        let signal = leaf(try fixtures.require("\(prefix)/signal"))
        let window = try fixtures.require("\(prefix)/window")
        let output = stft(signal, nFFT: c.nFFT, hop: c.hop, windowLength: c.windowLength, window: window,
                          center: c.center, padMode: c.padMode, normalized: c.normalized, onesided: c.onesided)
        expectCloseToFixture(output, try fixtures.require("\(prefix)/output"), "\(prefix) forward")
        output.backward(seed: try fixtures.require("\(prefix)/cotangent"))
        expectCloseToFixture(signal.grad!, try fixtures.require("\(prefix)/grad_signal"), "\(prefix) gradient")
    }

    @Test func stftMatchesNaiveDFT() {
        let n = 12, hop = 5, windowLength = 9, samples = 40
        let x = Tensor.sample([2, samples], seed: 3)
        let window = Windows.hann(windowLength)
        let output = stft(x, nFFT: n, hop: hop, windowLength: windowLength, window: window, padMode: .reflect)
        // Naive: reflect-pad by n/2, window centred in n, Σ_j w[j]·x̃[f·hop + j]·e^(−2πikj/n), in Double.
        let w = [Double](repeating: 0, count: (n - windowLength) / 2) + window.scalars.map(Double.init)
            + [Double](repeating: 0, count: n - windowLength - (n - windowLength) / 2)
        let values = x.scalars.map(Double.init)
        let frames = 1 + samples / hop
        #expect(output.shape == [2, n / 2 + 1, frames, 2])
        var expected: [Float] = []
        for r in 0..<2 {
            let row = Array(values[(r * samples)..<((r + 1) * samples)])
            let padded = (1...(n / 2)).reversed().map { row[$0] } + row + (1...(n / 2)).map { row[samples - 1 - $0] }
            for k in 0...(n / 2) {
                for f in 0..<frames {
                    var re = 0.0, im = 0.0
                    for j in 0..<n {
                        let angle = -2 * Double.pi * Double(k * j) / Double(n)
                        re += w[j] * padded[f * hop + j] * cos(angle)
                        im += w[j] * padded[f * hop + j] * sin(angle)
                    }
                    expected += [Float(re), Float(im)]
                }
            }
        }
        expectClose(output.scalars, expected, relative: 1e-5, absolute: 1e-5, "stft vs naive DFT")
    }

    @Test func stftGradientMatchesFiniteDifferences() {
        let x = Tensor.sample([2, 21], seed: 5)
        GradientChecker.check([x], "stft reflect") { inputs in
            stft(inputs[0], nFFT: 8, hop: 3, windowLength: 6, window: Windows.hann(6))
        }
        GradientChecker.check([x], "stft two-sided normalized, no centring") { inputs in
            stft(inputs[0], nFFT: 7, hop: 2, window: Windows.hann(7), center: false, normalized: true, onesided: false)
        }
    }

    @Test func magnitudeHelpersAgree() {
        let spectrum = stft(Tensor.sample([1, 64], seed: 9), nFFT: 16, hop: 4, window: Windows.hann(16))
        let magnitude = stftMagnitude(spectrum).scalars
        expectClose(stftPower(spectrum).scalars, magnitude.map { $0 * $0 }, relative: 1e-5, absolute: 1e-6, "power")
        expectClose(stftClampedMagnitude(spectrum).scalars, magnitude.map { Swift.max($0, 1e-4) },
                    relative: 1e-5, absolute: 1e-6, "clamped magnitude")
        expectClose(stftLogMagnitude(spectrum).scalars, magnitude.map { Foundation.log(Swift.max($0, 1e-4)) },
                    relative: 1e-5, absolute: 1e-5, "log magnitude")
    }
}
