import Foundation
import Testing

@Suite(.enabled(if: HarpBinary.path != nil, "skipped: build the harp executable first (swift build)"))
struct InfoCommandTests {
    let folder: String
    let sinePath: String

    init() throws {
        folder = try HarpBinary.makeTemporaryFolder()
        sinePath = folder + "/sine.wav"
        try WAVBytes.write(WAVBytes.make(channelCount: 2, sampleRate: 48000, bitsPerSample: 16,
                                         payload: WAVBytes.sine(frameCount: 48000, channelCount: 2, sampleRate: 48000)),
                           to: sinePath)
    }

    @Test func helpDescribesEveryCommand() throws {
        let top = try HarpBinary.run(["--help"])
        #expect(top.status == 0)
        #expect(top.standardOutput.contains("info") && top.standardOutput.contains("convert"))
        let info = try HarpBinary.run(["info", "--help"])
        #expect(info.status == 0)
        #expect(info.standardOutput.contains("BS.1770") && info.standardOutput.contains("--json"))
        let convert = try HarpBinary.run(["convert", "--help"])
        #expect(convert.status == 0)
        #expect(convert.standardOutput.contains("--rate") && convert.standardOutput.contains("temporary file"))
    }

    @Test func infoPrintsOneLinePerFile() throws {
        let bundledClip = HarpBinary.repositoryRoot.appendingPathComponent("Resources/perc_bell.flac").path
        let run = try HarpBinary.run(["info", sinePath, bundledClip])
        #expect(run.status == 0)
        #expect(run.standardError.isEmpty)
        let lines = run.standardOutput.split(separator: "\n")
        #expect(lines.count == 2)
        // A 0.5-amplitude sine: peak -6.02 dBFS, RMS -9.03 dBFS.
        #expect(lines.first?.hasPrefix("\(sinePath): WAV pcm16, 48000 Hz, 2 ch, 1.000 s, peak -6.02 dBFS, rms -9.03 dBFS") == true)
        #expect(lines.last?.contains("FLAC pcm16, 44100 Hz") == true)
    }

    @Test func jsonLinesParse() throws {
        let run = try HarpBinary.run(["info", "--json", sinePath, sinePath])
        #expect(run.status == 0)
        let lines = run.standardOutput.split(separator: "\n")
        #expect(lines.count == 2)
        let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(object?["sampleRate"] as? Int == 48000)
        #expect(object?["channelCount"] as? Int == 2)
        #expect(object?["frameCount"] as? Int == 48000)
        #expect(abs((object?["peakDecibels"] as? Double ?? 0) - -6.02) < 0.01)
        #expect(object?["container"] as? String == "wav")
    }

    @Test func oneBadFileFailsButOthersAreStillDescribed() throws {
        let run = try HarpBinary.run(["info", folder + "/missing.wav", sinePath])
        #expect(run.status != 0)
        #expect(run.standardOutput.split(separator: "\n").count == 1)
        #expect(run.errorLines == ["harp: error: \(folder)/missing.wav: no such file"])
    }
}
