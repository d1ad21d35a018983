import Foundation
import Testing

@Suite(.enabled(if: HarpBinary.path != nil, "skipped: build the harp executable first (swift build)"))
struct ConvertCommandTests {
    let folder: String
    let input: String

    init() throws {
        folder = try HarpBinary.makeTemporaryFolder()
        input = folder + "/in.wav"
        try WAVBytes.write(WAVBytes.make(channelCount: 2, sampleRate: 44100, bitsPerSample: 16,
                                         payload: WAVBytes.sine(frameCount: 44100, channelCount: 2, sampleRate: 44100)),
                           to: input)
    }

    @Test func convertResamplesToMonoFLAC() throws {
        let output = folder + "/out.flac"
        let run = try HarpBinary.run(["convert", input, output, "--rate", "16000", "--mono", "--bits", "24"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput == "\(output): FLAC pcm24, 16000 Hz, 1 ch, 1.000 s\n")
        let info = try HarpBinary.run(["info", output])
        #expect(info.standardOutput.contains("FLAC pcm24, 16000 Hz, 1 ch, 1.000 s, peak -6.0"))
        // Only the input and the output remain: the temporary file was renamed.
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names == ["in.wav", "out.flac"])
    }

    @Test func convertToFloatWAVKeepsRate() throws {
        let run = try HarpBinary.run(["convert", input, folder + "/out.wav", "--bits", "32f"])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("WAV float32, 44100 Hz, 2 ch, 1.000 s"))
    }

    @Test func refusesToOverwriteInput() throws {
        let sameFile = folder + "/./sub/../in.wav"
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        let run = try HarpBinary.run(["convert", input, sameFile])
        #expect(run.status != 0)
        #expect(run.errorLines.count == 1)
        #expect(run.standardError.contains("same file as the input"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)).count == 44 + 44100 * 4)
    }

    @Test(arguments: ["0", "768001", "-5"])
    func absurdRateIsOneLineError(rate: String) throws {
        let run = try HarpBinary.run(["convert", input, folder + "/out.wav", "--rate=\(rate)"])
        #expect(run.status != 0)
        #expect(run.errorLines == ["harp: error: --rate \(rate): unsupported sample rate \(rate) Hz (must be 1...768000 Hz)"])
        #expect(!FileManager.default.fileExists(atPath: folder + "/out.wav"))
    }

    @Test func unsupportedOutputExtensionIsOneLineError() throws {
        let run = try HarpBinary.run(["convert", input, folder + "/out.mp3"])
        #expect(run.status != 0)
        #expect(run.errorLines.count == 1)
        #expect(run.standardError.hasPrefix("harp: error: \(folder)/out.mp3: output must end in .wav or .flac"))
    }
}
