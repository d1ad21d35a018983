import Foundation
import HarpAudio
import HarpTensor
import HarpTestSupport
import Testing
@testable import HarpCodec

/// Reading a file for a codec piece by piece gives what reading it whole gives, and past the end
/// reads as silence.
struct StreamingCodecInputTests {
    @Test func piecesEqualTheWholeFileMixedAndResampled() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("harp-stream-\(UUID()).flac").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let frames = 150_000   // more than two of the reader's 65 536-frame chunks
        var samples = [Float]()
        for i in 0..<frames {
            samples.append(0.4 * sin(Float(i) * 0.01))
            samples.append(0.3 * sin(Float(i) * 0.037))
        }
        let writer = try AudioFileWriter(path: path, format: AudioFormat.forWriting(path: path, encoding: .pcm24),
                                         sampleRate: 44100, channelCount: 2)
        try writer.write(AudioBuffer(interleaved: samples, channelCount: 2, sampleRate: 44100))
        try writer.commit()

        let whole = try CodecInput.prepare(AudioFileReader.readAll(path: path), sampleRate: 24000, channelCount: 1)
        let stream = try StreamingCodecInput(path: path, sampleRate: 24000, channelCount: 1)
        #expect(stream.sampleCount == whole.shape[1])
        // Ascending, overlapping ranges, the last one past the end.
        let ranges = [0..<1000, 500..<40_000, 39_000..<70_000, 70_000..<stream.sampleCount + 100]
        let expected = whole.scalars
        for range in ranges {
            let piece = try stream.samples(range).scalars
            let inside = range.clamped(to: 0..<expected.count)
            expectClose(Array(piece.prefix(inside.count)), Array(expected[inside]), relative: 0, absolute: 1e-6,
                        "\(range)")
            #expect(piece.dropFirst(inside.count).allSatisfy { $0 == 0 })
        }
        #expect(stream.peak > 0.3)
    }
}
