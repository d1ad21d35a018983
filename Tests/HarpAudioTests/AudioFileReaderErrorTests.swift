import Foundation
import HarpAudio
import Testing

/// Malformed inputs, made byte by byte in a temporary folder: each must throw a typed error with a
/// one-line description naming the file, never crash, and never allocate by the header's claims.
@Suite struct AudioFileReaderErrorTests {
    let folder: String

    init() throws { folder = try TestFiles.makeTemporaryFolder() }

    /// Opens and reads the whole file the way `harp info` does, returning the error thrown.
    private func failure(reading path: String) -> AudioError? {
        do {
            _ = try AudioFileSummary.measure(path: path, chunkFrameCount: 4096)
            return nil
        } catch let error as AudioError {
            #expect(!error.description.contains("\n"))
            #expect(error.description.hasPrefix(path + ": "))
            return error
        } catch {
            Issue.record("untyped error \(error)")
            return nil
        }
    }

    private func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = folder + "/" + name
        try TestFiles.write(bytes, to: path)
        return path
    }

    private var sine: [UInt8] { TestFiles.sinePCM16(frameCount: 1000, channelCount: 1, frequencyHz: 440, sampleRate: 8000) }

    @Test func missingFile() {
        #expect(failure(reading: folder + "/absent.wav") == .fileNotFound(path: folder + "/absent.wav"))
    }

    @Test func directory() {
        #expect(failure(reading: folder) == .isDirectory(path: folder))
    }

    @Test func emptyFile() throws {
        let path = try file("empty.wav", [])
        #expect(failure(reading: path) == .emptyFile(path: path))
    }

    @Test func truncatedWAV() throws {
        let whole = TestFiles.wavBytes(channelCount: 1, sampleRate: 8000, bitsPerSample: 16, payload: sine)
        let path = try file("truncated.wav", Array(whole.prefix(whole.count - 501)))
        #expect(failure(reading: path) == .truncated(path: path, declaredFrameCount: 1000, actualFrameCount: 749))
    }

    @Test func randomBytesNamedWAV() throws {
        let noise = TestSignals.noise(count: 4096).map { UInt8(truncatingIfNeeded: Int($0 * 1000)) }
        let path = try file("random.wav", noise)
        guard case .unreadable? = failure(reading: path) else { Issue.record("expected unreadable"); return }
    }

    @Test func headerClaimingGigabytes() throws {
        let path = try file("huge.wav", TestFiles.wavBytes(channelCount: 2, sampleRate: 44100, bitsPerSample: 16,
                                                           payload: sine, declaredDataSize: 0xFFFF_FFF0))
        guard case .truncated(_, let declared, let actual)? = failure(reading: path) else {
            Issue.record("expected truncated"); return
        }
        #expect(declared > 1_000_000_000 && actual == 500)
    }

    @Test func zeroChannels() throws {
        let path = try file("zero-channels.wav", TestFiles.wavBytes(channelCount: 0, sampleRate: 8000,
                                                                    bitsPerSample: 16, payload: sine))
        #expect(failure(reading: path) == .unsupportedChannelCount(path: path, channelCount: 0))
    }

    @Test func zeroHertzHeader() throws {
        let path = try file("zero-hz.wav", TestFiles.wavBytes(channelCount: 1, sampleRate: 0,
                                                              bitsPerSample: 16, payload: sine))
        #expect(failure(reading: path) == .unsupportedSampleRate(path: path, sampleRate: 0))
    }

    @Test func absurdSampleRateHeader() throws {
        let path = try file("fast.wav", TestFiles.wavBytes(channelCount: 1, sampleRate: 10_000_000,
                                                           bitsPerSample: 16, payload: sine))
        #expect(failure(reading: path) == .unsupportedSampleRate(path: path, sampleRate: 10_000_000))
    }

    /// NaN/Inf samples are read (a float file may hold them), counted, and left out of the levels.
    @Test func nonFiniteSamplesAreReported() throws {
        let values: [Float] = [0.5, .nan, -0.25, .infinity, 0.1]
        let path = try file("nan.wav", TestFiles.wavBytes(formatTag: 3, channelCount: 1, sampleRate: 8000,
                                                          bitsPerSample: 32, payload: TestFiles.float32Payload(values)))
        let summary = try AudioFileSummary.measure(path: path)
        #expect(summary.nonFiniteSampleCount == 2)
        #expect(summary.nonFiniteError == .nonFiniteSamples(path: path, sampleCount: 2, firstFrame: 1))
        #expect(abs(summary.peakDecibels - 20 * log10(0.5)) < 1e-4)
        // Conversion stops at the first chunk holding one; the count is that chunk's.
        #expect(throws: AudioError.nonFiniteSamples(path: path, sampleCount: 2, firstFrame: 1)) {
            _ = try AudioFileConverter().convert(inputPath: path, outputPath: folder + "/out.wav")
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/out.wav"))
        #expect(TestFiles.files(in: folder) == ["nan.wav"])
    }
}
