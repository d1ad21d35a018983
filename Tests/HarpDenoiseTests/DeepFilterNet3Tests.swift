import Foundation
import HarpDSP
import HarpTensor
import Testing
@testable import HarpDenoise

@Suite struct DeepFilterNet3Tests {
    @Test func erbBandsMatchLibDF() {
        let widths = erbBandWidths(sampleRate: 48000, fftSize: 960, bandCount: 32, minimumBins: 2)
        #expect(widths == [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 5, 5, 7, 7, 8, 10, 12, 13, 15, 18, 20,
                           24, 28, 31, 37, 42, 50, 56, 67])
        #expect(DeepFilterNetConfiguration().normalizationAlpha == 0.99)
    }

    @Test(arguments: DenoiseFixture.names)
    func outputMatchesLibDF(name: String) throws {
        let fixture = try DenoiseFixture(name)
        let model = try fixture.model()
        let (enhanced, localSNR) = model.process(fixture.noisy)
        #expect(enhanced.count == fixture.enhanced.count)
        let difference = differenceDecibels(enhanced, fixture.enhanced)
        print("\(name): Harp − libDF = \(String(format: "%.1f", difference)) dB below the signal")
        #expect(difference < -40)
        let worstSNR = zip(localSNR, fixture.localSNR).map { Swift.abs($0 - $1) }.max() ?? 0
        #expect(worstSNR < 0.05)
        // The same SI-SDR against the clean clip (output realigned by the model's delay).
        let delay = model.configuration.delaySamples
        func siSDR(_ output: [Float]) -> Float {
            let n = fixture.clean.count - delay
            return scaleInvariantSDR(Tensor(Array(output[delay...])), Tensor(Array(fixture.clean[..<n]))).item
        }
        let (harp, libDF, before) = (siSDR(enhanced), siSDR(fixture.enhanced),
                                     scaleInvariantSDR(Tensor(fixture.noisy), Tensor(fixture.clean)).item)
        print("\(name): SI-SDR \(before) → Harp \(harp), libDF \(libDF) dB")
        #expect(Swift.abs(harp - libDF) < 0.01)
    }

    @Test func malformedWeightsAreOneClearError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dfn-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        var tensors = DenoiseFixture.weights.tensors
        tensors["enc.erb_conv0.1.weight"] = Tensor.zeros([64, 1, 3, 2])
        try SafeTensors.write(tensors, to: url)
        #expect(throws: DenoiseError.badWeights("enc.erb_conv0.1.weight has shape [64, 1, 3, 2], expected [64, 1, 3, 3]")) {
            try DeepFilterNetWeights(contentsOf: url)
        }
        try Data("not a model".utf8).write(to: url)
        #expect(throws: DenoiseError.self) { try DeepFilterNetWeights(contentsOf: url) }
    }

    @Test func streamingInPiecesEqualsWholeSignal() throws {
        let fixture = try DenoiseFixture("speech_pink_0db")
        let whole = try fixture.model().process(fixture.noisy).samples
        let streaming = try fixture.model()
        var pieces: [Float] = []
        var start = 0
        var size = 1
        while start < fixture.noisy.count {
            let end = min(start + size, fixture.noisy.count)
            pieces += streaming.process(Array(fixture.noisy[start..<end])).samples
            start = end
            size = size * 7 % 2_000 + 1  // 1, 8, 57, 400, 801, … samples: across and inside hops
        }
        #expect(pieces.count == whole.count)
        #expect(differenceDecibels(pieces, whole) < -100)
    }

    @Test func zeroAttenuationLimitPassesTheInputThroughDelayed() throws {
        let fixture = try DenoiseFixture("speech_pink_0db")
        let model = try DeepFilterNet3(weights: DenoiseFixture.weights, attenuationLimitDecibels: 0)
        let output = model.process(fixture.noisy).samples
        let delay = model.configuration.delaySamples
        let n = fixture.noisy.count - delay
        #expect(differenceDecibels(Array(output[delay...]), Array(fixture.noisy[..<n])) < -100)
    }
}
