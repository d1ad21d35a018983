import Foundation
import HarpTensor
import Testing
@testable import HarpCodec

/// Streaming equals whole-file: EnCodec's whole-file models (24 kHz causal, 32 kHz centred) fed
/// in blocks of uneven sizes give the codes and audio of one whole-file call.
struct EncodecStreamTests {
    static func streamableFolders() -> [OracleFolder] {
        OracleFolder.all().filter { folder in
            (try? folder.codec() as? EncodecModel)?.isStreamable ?? false
        }
    }

    /// Consecutive pieces of `[channels, n]` with the sizes cycling through `sizes`.
    private func blocks(_ audio: Tensor, sizes: [Int]) -> [Tensor] {
        var pieces: [Tensor] = [], start = 0, index = 0
        while start < audio.shape[1] {
            let end = min(audio.shape[1], start + sizes[index % sizes.count])
            pieces.append(audio.sliced(alongAxis: 1, start: start, end: end))
            start = end
            index += 1
        }
        return pieces
    }

    @Test(arguments: streamableFolders())
    func streamedCodesEqualWholeFileCodes(_ folder: OracleFolder) throws {
        let model = try #require(try folder.codec() as? EncodecModel)
        let input = try folder.io().tensor(named: "input_values")
        let audio = input.reshaped([model.channelCount, input.shape[2]])
        let whole = try model.encode(audio, bandwidth: nil)
        for sizes in [[320], [7, 77, 1000, 4801], [2999]] {
            let stream = try model.encoderStream(bandwidth: nil)
            var pieces = try blocks(audio, sizes: sizes).map { try stream.push($0) }
            pieces.append(stream.finish())
            let codes = CodecAudio.joinedFrames(pieces, codebookCount: model.maximumCodebookCount)
            #expect(codes == CodecAudio.chunk(whole.codes, 0), "\(folder.testDescription) blocks \(sizes)")
        }
    }

    @Test(arguments: streamableFolders())
    func streamedEmbeddingsEqualWholeFileEmbeddings(_ folder: OracleFolder) throws {
        let model = try #require(try folder.codec() as? EncodecModel)
        let input = try folder.io().tensor(named: "input_values")
        try withoutGradients {
            var stack = StreamingEncodecStack(model.encoder)
            var pieces = blocks(input.reshaped([model.channelCount, input.shape[2]]), sizes: [13, 640, 3333])
                .map { stack.push($0.reshaped([1] + $0.shape)) }
            pieces.append(stack.finish())
            expectParity(Tensor.concatenated(pieces, alongAxis: 2), try folder.io().tensor(named: "encoder_out"),
                         "\(folder.testDescription) streamed encoder_out")
        }
    }

    @Test(arguments: streamableFolders())
    func streamedAudioEqualsWholeFileAudio(_ folder: OracleFolder) throws {
        let model = try #require(try folder.codec() as? EncodecModel)
        let io = try folder.io()
        let reference = try io.integers("audio_codes")
        let codes = reference.reshaped([reference.shape[2], reference.shape[3]])
        let sampleCount = try io.tensor(named: "input_values").shape[2]
        let whole = try model.decode(EncodedAudio(codes: codes.reshaped([1] + codes.shape), scales: nil,
                                                  sampleCount: sampleCount, bandwidth: model.bandwidths.last!))
        for sizes in [[1], [2, 5, 3], [17]] {
            let stream = try model.decoderStream()
            var pieces: [Tensor] = [], start = 0, index = 0
            while start < codes.shape[1] {
                let end = min(codes.shape[1], start + sizes[index % sizes.count])
                let block = IntTensor(shape: [codes.shape[0], end - start], scalars: (0..<codes.shape[0]).flatMap { q in
                    codes.scalars[(q * codes.shape[1] + start)..<(q * codes.shape[1] + end)]
                })
                pieces.append(try stream.push(block))
                start = end
                index += 1
            }
            pieces.append(stream.finish())
            let audio = Tensor.concatenated(pieces, alongAxis: 1)
            #expect(audio.shape[1] == codes.shape[1] * model.hopLength)
            expectParity(audio.sliced(alongAxis: 1, end: sampleCount), whole, "\(folder.testDescription) frames \(sizes)")
        }
    }

    /// After the first frames (which wait for the samples reflect padding mirrors), the causal
    /// encoder emits one frame per hop of input and the decoder one hop per frame: 13.3 ms.
    @Test func causalStreamAnswersWithinOneHop() throws {
        let folder = try #require(Self.streamableFolders().first { $0.testDescription == "encodec24k" })
        let model = try #require(try folder.codec() as? EncodecModel)
        let hop = model.hopLength
        #expect(Double(hop) / Double(model.sampleRate) < 0.020)
        let stream = try model.encoderStream(bandwidth: nil)
        var emitted: [Int] = []
        for _ in 0..<20 { emitted.append(try stream.push(Tensor(shape: [1, hop], repeating: 0.1)).shape[1]) }
        let startup = try #require(emitted.firstIndex { $0 > 0 })
        #expect(startup <= 8, "first frame after \(startup + 1) hops")
        #expect(emitted[(startup + 1)...].allSatisfy { $0 == 1 }, "\(emitted)")
        #expect(emitted.reduce(0, +) + stream.finish().shape[1] == 20)

        let decoder = try model.decoderStream()
        var samples: [Int] = []
        for _ in 0..<20 { samples.append(try decoder.push(IntTensor(repeating: 1, shape: [2, 1])).shape[1]) }
        let first = try #require(samples.firstIndex { $0 > 0 })
        #expect(first <= 8, "first audio after \(first + 1) frames")
        #expect(samples[(first + 1)...].allSatisfy { $0 == hop }, "\(samples)")
        #expect(samples.reduce(0, +) + decoder.finish().shape[1] == 20 * hop)
    }

    @Test func chunkNormalisedModelDoesNotStream() throws {
        let folder = try #require(OracleFolder.all().first { $0.testDescription == "encodec48k" })
        let model = try #require(try folder.codec() as? EncodecModel)
        #expect(!model.isStreamable)
        #expect(throws: CodecError.self) { try model.encoderStream(bandwidth: nil) }
    }
}
