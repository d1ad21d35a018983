import Foundation
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
}
