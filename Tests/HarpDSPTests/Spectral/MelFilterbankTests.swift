import Foundation
import HarpTensor
import HarpTestSupport
import Testing
@testable import HarpDSP

/// Mel filters and mel spectrograms against librosa.
struct MelFilterbankTests {
    // Mirrors MEL_CASES in tools/make_dsp_fixtures.py.
    static let cases: [(name: String, filterbank: () -> MelFilterbank)] = [
        ("librosa_defaults_22050", { MelFilterbank(sampleRate: 22050, nFFT: 1024) }),
        ("htk_16000", { MelFilterbank(sampleRate: 16000, nFFT: 512, melCount: 40, minimumFrequencyHz: 20,
                                      maximumFrequencyHz: 7600, scale: .htk) }),
        ("slaney_unnormalized_44100", { MelFilterbank(sampleRate: 44100, nFFT: 1024, melCount: 64, minimumFrequencyHz: 30,
                                                      maximumFrequencyHz: 16000, normalization: .none) }),
        ("odd_fft_8000", { MelFilterbank(sampleRate: 8000, nFFT: 255, melCount: 20, scale: .htk, normalization: .none) }),
    ]

    /// The weights are computed in Double and rounded once, like librosa's; 1e-5 relative leaves
    /// room for the transcendental functions' last bits (the `expectCloseToFixture` floor covers
    /// the zero crossings at the triangles' feet).
    @Test(arguments: cases.map(\.name))
    func filterbankMatchesLibrosa(_ name: String) throws {
        let fixtures = try SpectralFixtures.load("spectral_mel")
        let filterbank = Self.cases.first { $0.name == name }!.filterbank()
        expectCloseToFixture(filterbank.weights, try fixtures.require("mel/\(name)/weights"), relative: 1e-5, name)
    }

    @Test func melSpectrogramMatchesLibrosa() throws {
        let fixtures = try SpectralFixtures.load("spectral_mel")
        let signal = leaf(try fixtures.require("melspectrogram/signal"))
        let filterbank = MelFilterbank(sampleRate: 16000, nFFT: 512, melCount: 40)
        let output = melSpectrogram(signal, filterbank: filterbank, hop: 128)
        expectCloseToFixture(output, try fixtures.require("melspectrogram/output"), "mel spectrogram")
        output.backward(seed: try fixtures.require("melspectrogram/cotangent"))
        expectCloseToFixture(signal.grad!, try fixtures.require("melspectrogram/grad_signal"), "mel spectrogram gradient")
    }

    @Test func melScalesRoundTrip() {
        for scale in [MelFilterbank.Scale.slaney, .htk] {
            for hz in [0.0, 55, 440, 999.9, 1000, 1000.1, 8000, 22050] {
                let back = MelFilterbank.hz(fromMel: MelFilterbank.mel(fromHz: hz, scale: scale), scale: scale)
                #expect(Swift.abs(back - hz) < 1e-9 * Swift.max(hz, 1), "\(scale) \(hz) → \(back)")
            }
        }
        #expect(Swift.abs(MelFilterbank.mel(fromHz: 1000, scale: .slaney) - 15) < 1e-12)
        #expect(Swift.abs(MelFilterbank.mel(fromHz: 700, scale: .htk) - 2595 * log10(2.0)) < 1e-9)
    }
}
