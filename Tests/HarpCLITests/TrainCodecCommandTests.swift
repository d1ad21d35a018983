import Foundation
import Testing

/// `harp train codec` end to end on a tiny model (2 filters, codebooks of 16) and a folder of
/// short tones: it trains, checkpoints, writes the model and the report, resumes, and turns every
/// bad input into one line.
@Suite(.enabled(if: HarpBinary.path != nil, "skipped: build the harp executable first (swift build)"))
struct TrainCodecCommandTests {
    let folder: String
    let data: String
    static let tiny = ["--batch", "2", "--seconds", "0.2", "--filters", "2", "--codebook-size", "16",
                       "--checkpoint-every", "2", "--report-every", "4"]

    init() throws {
        folder = try HarpBinary.makeTemporaryFolder()
        data = folder + "/data"
        try FileManager.default.createDirectory(atPath: data + "/more", withIntermediateDirectories: true)
        for (index, rate) in [22050, 24000, 16000, 44100].enumerated() {
            // The last one is shorter than the crop: it is padded with silence.
            let frames = index == 3 ? rate / 10 : rate
            let tone = WAVBytes.sine(frameCount: frames, channelCount: 1, sampleRate: rate)
            let path = data + (index % 2 == 0 ? "" : "/more") + "/tone\(index).wav"
            try WAVBytes.write(WAVBytes.make(channelCount: 1, sampleRate: UInt32(rate), bitsPerSample: 16, payload: tone), to: path)
        }
    }

    private func expectOneLineFailure(_ arguments: [String], mentioning words: [String],
                                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try HarpBinary.run(arguments)
        #expect(run.status != 0 && run.status < 128, "\(arguments): exit \(run.status)", sourceLocation: sourceLocation)
        let errors = run.errorLines.filter { $0.hasPrefix("harp: error") }
        #expect(errors.count == 1, "\(run.standardError)", sourceLocation: sourceLocation)
        for word in words { #expect(run.standardError.contains(word), "\(run.standardError)", sourceLocation: sourceLocation) }
    }

    /// One short run covers the whole happy path and the resume rules (debug builds train slowly).
    @Test func trainsWritesModelAndReportSkipsBadFilesAndResumes() throws {
        try Data("RIFF....WAVEjunk".utf8).write(to: URL(fileURLWithPath: data + "/broken.wav"))
        let run = folder + "/run"
        let first = try HarpBinary.run(["train", "codec", data, "-o", run, "--steps", "4"] + Self.tiny)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardError.contains("warning: skipped") && first.standardError.contains("broken.wav"), "\(first.standardError)")
        #expect(first.standardError.contains("1 skipped"), "\(first.standardError)")
        for file in ["checkpoint.safetensors", "model/config.json", "model/model.safetensors", "report/index.html"] {
            #expect(FileManager.default.fileExists(atPath: run + "/" + file), "\(file) missing")
        }
        let page = try String(contentsOfFile: run + "/report/index.html", encoding: .utf8)
        for word in ["Held-out quality", "<audio", "loss-mel.png", "kbit/s"] { #expect(page.contains(word), "\(word)") }
        // The exported folder is an EnCodec model `harp encode` runs.
        let encode = try HarpBinary.run(["encode", data + "/tone0.wav", "-o", folder + "/t.harpc", "--model", run + "/model"])
        #expect(encode.status == 0, "\(encode.standardError)")
        // Resuming a finished run continues from its checkpoint (nothing left to do).
        let again = try HarpBinary.run(["train", "codec", data, "-o", run, "--steps", "4", "--resume"] + Self.tiny)
        #expect(again.status == 0, "\(again.standardError)")
        #expect(again.standardError.contains("resuming at step 4"), "\(again.standardError)")
        // Other settings are refused, naming them; a fresh run will not overwrite this one.
        try expectOneLineFailure(["train", "codec", data, "-o", run, "--steps", "4", "--resume", "--batch", "3"]
                                    + Self.tiny.dropFirst(2), mentioning: ["batchSize"])
        try expectOneLineFailure(["train", "codec", data, "-o", run, "--steps", "4"] + Self.tiny, mentioning: ["--resume"])
    }

    @Test func badOptionsAreAUsageError() throws {
        let run = try HarpBinary.run(["train", "codec", data, "-o", folder + "/d", "--bitrates", "3,x"])
        #expect(run.status == 64, "exit \(run.status)")
        #expect(run.standardError.contains("--bitrates"), "\(run.standardError)")
    }

    @Test func badDataIsOneLine() throws {
        let empty = folder + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        try expectOneLineFailure(["train", "codec", empty, "-o", folder + "/a", "--steps", "2"] + Self.tiny,
                                 mentioning: ["audio"])
        let junk = folder + "/junk"
        try FileManager.default.createDirectory(atPath: junk, withIntermediateDirectories: true)
        try Data("not audio at all".utf8).write(to: URL(fileURLWithPath: junk + "/broken.wav"))
        try expectOneLineFailure(["train", "codec", junk, "-o", folder + "/b", "--steps", "2"] + Self.tiny,
                                 mentioning: ["audio"])
        try expectOneLineFailure(["train", "codec", data, "-o", folder + "/c", "--steps", "2", "--resume"] + Self.tiny,
                                 mentioning: ["no checkpoint"])
    }

    @Test func aDivergingRunStopsKeepingTheLastGoodCheckpoint() throws {
        let run = folder + "/run"
        let result = try HarpBinary.run(["train", "codec", data, "-o", run, "--steps", "40", "--learning-rate", "1e30"] + Self.tiny.prefix(8))
        #expect(result.status != 0 && result.status < 128, "exit \(result.status): \(result.standardError)")
        #expect(result.standardError.contains("became"), "\(result.standardError)")
        #expect(result.errorLines.filter { $0.hasPrefix("harp: error") }.count == 1)
    }
}
