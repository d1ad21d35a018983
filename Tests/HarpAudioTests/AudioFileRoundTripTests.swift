import Foundation
import HarpAudio
import Testing

@Suite struct AudioFileRoundTripTests {
    static let cases: [(AudioFormat, String, Float)] = [
        // Quantisation: libsndfile scales by 2^(bits-1) - 1 on write and 2^(bits-1) on read,
        // so the error is below half a step plus the scale mismatch: 1.5 steps at full scale.
        (AudioFormat(container: .wav, encoding: .pcm16), "wav", 1.5 / 32768),
        (AudioFormat(container: .wav, encoding: .pcm24), "wav", 1.5 / 8_388_608),
        (AudioFormat(container: .wav, encoding: .float32), "wav", 0),
        (AudioFormat(container: .flac, encoding: .pcm16), "flac", 1.5 / 32768),
        (AudioFormat(container: .flac, encoding: .pcm24), "flac", 1.5 / 8_388_608),
    ]

    @Test(arguments: 0..<cases.count)
    func writeThenReadIsWithinQuantisationError(caseIndex: Int) throws {
        let (format, ext, tolerance) = Self.cases[caseIndex]
        let folder = try TestFiles.makeTemporaryFolder()
        let path = folder + "/out.\(ext)"
        let original = AudioBuffer(interleaved: TestSignals.noise(count: 2 * 3000), channelCount: 2, sampleRate: 22050)
        let writer = try AudioFileWriter(path: path, format: format, sampleRate: 22050, channelCount: 2)
        try writer.write(original)
        try writer.commit()

        let reader = try AudioFileReader(path: path)
        #expect(reader.format == format)
        let decoded = try reader.readAll()
        #expect(decoded.channelCount == 2 && decoded.sampleRate == 22050 && decoded.frameCount == 3000)
        #expect(TestSignals.maxAbsDifference(decoded.samples, original.samples) <= tolerance)
    }

    @Test func streamingReadEqualsWholeRead() throws {
        let folder = try TestFiles.makeTemporaryFolder()
        let path = folder + "/noise.flac"
        let original = AudioBuffer(interleaved: TestSignals.noise(count: 3 * 10_007), channelCount: 3, sampleRate: 44100)
        let writer = try AudioFileWriter(path: path, format: .init(container: .flac, encoding: .pcm24),
                                         sampleRate: 44100, channelCount: 3)
        try writer.write(original)
        try writer.commit()

        let whole = try AudioFileReader.readAll(path: path)
        let reader = try AudioFileReader(path: path)
        var streamed = AudioBuffer.empty(channelCount: 3, sampleRate: 44100)
        var chunkCount = 0
        while let chunk = try reader.read(maxFrameCount: 999) {
            #expect(chunk.frameCount <= 999)
            streamed.append(chunk)
            chunkCount += 1
        }
        #expect(chunkCount == 11)
        #expect(streamed == whole)
        #expect(whole.frameCount == 10_007)
    }

    @Test func writerRenamesIntoPlaceOnlyOnCommit() throws {
        let folder = try TestFiles.makeTemporaryFolder()
        let path = folder + "/out.wav"
        let writer = try AudioFileWriter(path: path, format: .init(container: .wav, encoding: .pcm16),
                                         sampleRate: 8000, channelCount: 1)
        try writer.write(AudioBuffer(interleaved: [0.1, 0.2, 0.3], channelCount: 1, sampleRate: 8000))
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(FileManager.default.fileExists(atPath: writer.temporaryPath))
        #expect(URL(fileURLWithPath: writer.temporaryPath).deletingLastPathComponent().path == folder)
        try writer.commit()
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: writer.temporaryPath))
        #expect(TestFiles.files(in: folder) == ["out.wav"])
    }

    @Test func writerDroppedWithoutCommitLeavesNothing() throws {
        let folder = try TestFiles.makeTemporaryFolder()
        var temporaryPath = ""
        do {
            let writer = try AudioFileWriter(path: folder + "/out.flac", format: .init(container: .flac, encoding: .pcm16),
                                             sampleRate: 8000, channelCount: 1)
            try writer.write(AudioBuffer(interleaved: [0.1, 0.2], channelCount: 1, sampleRate: 8000))
            temporaryPath = writer.temporaryPath
            #expect(FileManager.default.fileExists(atPath: temporaryPath))
        }
        #expect(!FileManager.default.fileExists(atPath: temporaryPath))
        #expect(TestFiles.files(in: folder).isEmpty)
    }

    @Test func integerOutputClipsInsteadOfWrapping() throws {
        let folder = try TestFiles.makeTemporaryFolder()
        let path = folder + "/loud.wav"
        let writer = try AudioFileWriter(path: path, format: .init(container: .wav, encoding: .pcm16),
                                         sampleRate: 8000, channelCount: 1)
        try writer.write(AudioBuffer(interleaved: [1.5, -1.5], channelCount: 1, sampleRate: 8000))
        try writer.commit()
        let decoded = try AudioFileReader.readAll(path: path).samples
        #expect(decoded[0] > 0.99 && decoded[1] < -0.99)
    }

    @Test func flacRefusesFloatSamples() {
        #expect(throws: AudioError.self) {
            _ = try AudioFormat.forWriting(path: "/tmp/x.flac", encoding: .float32)
        }
        #expect(throws: AudioError.self) { _ = try AudioFormat.forWriting(path: "/tmp/x.mp3", encoding: nil) }
    }

    @Test func convertResamplesMixesAndKeepsInputUntouched() throws {
        let folder = try TestFiles.makeTemporaryFolder()
        let input = folder + "/in.wav"
        try TestFiles.write(TestFiles.wavBytes(channelCount: 2, sampleRate: 48000, bitsPerSample: 16,
                                               payload: TestFiles.sinePCM16(frameCount: 4800, channelCount: 2,
                                                                            frequencyHz: 440, sampleRate: 48000)),
                            to: input)
        let converter = AudioFileConverter(sampleRate: 16000, channelMixing: .mono, encoding: .pcm24)
        let result = try converter.convert(inputPath: input, outputPath: folder + "/out.flac")
        #expect(result.frameCount == 1600 && result.channelCount == 1 && result.sampleRate == 16000)
        let output = try AudioFileReader(path: folder + "/out.flac")
        #expect(output.format == AudioFormat(container: .flac, encoding: .pcm24))
        #expect(throws: AudioError.outputIsInput(path: folder + "/../\(URL(fileURLWithPath: folder).lastPathComponent)/in.wav")) {
            _ = try converter.convert(inputPath: input,
                                      outputPath: folder + "/../\(URL(fileURLWithPath: folder).lastPathComponent)/in.wav")
        }
    }
}
