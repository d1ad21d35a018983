import Foundation
import HarpTensor
import Testing
@testable import HarpCodec

/// Long audio in bounded memory: `encode(sampleCount:reading:)` and `decode(_:writing:)` — streams
/// (EnCodec 24/32 kHz), chunk by chunk (48 kHz) or overlapping windows (DAC) — give what the
/// whole-file calls give.
struct LongAudioTests {
    /// Makes the pieces small so the oracle's one second spans several of them.
    private func shrinkPieces(_ codec: any NeuralCodec) {
        if let dac = codec as? DacModel { dac.windowFrames = 20 }
        if let encodec = codec as? EncodecModel { encodec.blockSeconds = 0.15 }
    }

    @Test(arguments: OracleFolder.all())
    func piecewiseEncodingEqualsWholeFile(_ folder: OracleFolder) throws {
        let codec = try folder.codec()
        shrinkPieces(codec)
        let input = try folder.io().tensor(named: "input_values")
        let audio = input.reshaped([codec.channelCount, input.shape[2]])
        var requested: [Range<Int>] = []
        let piecewise = try codec.encode(sampleCount: audio.shape[1], bandwidth: nil) { range in
            requested.append(range)
            return audio.sliced(alongAxis: 1, start: range.lowerBound, end: range.upperBound)
        }
        let whole = try codec.encode(audio, bandwidth: nil)
        #expect(piecewise.codes == whole.codes)
        #expect(piecewise.sampleCount == whole.sampleCount)
        if let scales = whole.scales { expectParity(Tensor(piecewise.scales ?? []), Tensor(scales), "scales") }
        #expect(requested.count > 1, "\(folder.testDescription) read the audio in one piece")
        #expect(requested.allSatisfy { $0.count < audio.shape[1] })
    }

    @Test(arguments: OracleFolder.all())
    func piecewiseDecodingEqualsWholeFile(_ folder: OracleFolder) throws {
        let codec = try folder.codec()
        shrinkPieces(codec)
        let input = try folder.io().tensor(named: "input_values")
        let audio = input.reshaped([codec.channelCount, input.shape[2]])
        let encoded = try codec.encode(audio, bandwidth: nil)
        var blocks: [Tensor] = []
        try codec.decode(encoded) { blocks.append($0) }
        let joined = Tensor.concatenated(blocks, alongAxis: 1)
        expectParity(joined, try codec.decode(encoded), "\(folder.testDescription) piecewise decode")
        #expect(blocks.count > 1)
    }
}
