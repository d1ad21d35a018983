import Foundation
import Testing

/// `harp fit` and `harp render` end to end on the bundled clip, at a tiny model size so a debug
/// build runs them in seconds.
@Suite(.enabled(if: HarpBinary.path != nil, "skipped: build the harp executable first (swift build)"))
struct InstrumentCommandTests {
    let folder: String
    let clip = HarpBinary.repositoryRoot.appendingPathComponent("Resources/perc_bell.flac").path
    static let tinyModel = ["--samples", "8192", "--oscillators", "4", "--resonances", "4", "--control-dimensions", "4"]

    init() throws {
        folder = try HarpBinary.makeTemporaryFolder()
    }

    /// Measured FFT plans are kept per test, so concurrent tests cannot swap plans under a
    /// resumed fit (and nothing is written to the user's cache).
    var wisdom: [String: String] { ["HARP_FFT_WISDOM": folder + "/fftw-wisdom"] }

    func fit(_ directory: String, _ extra: [String]) throws -> HarpBinary.Run {
        try HarpBinary.run(["fit", clip, "-o", directory] + Self.tinyModel + extra, environment: wisdom)
    }

    func losses(_ directory: String) throws -> [String] {
        try String(contentsOfFile: directory + "/loss.csv", encoding: .utf8).split(separator: "\n").dropFirst().map(String.init)
    }

    @Test func fitWritesEveryArtefactAndLowersTheLoss() throws {
        let out = folder + "/fit"
        let run = try fit(out, ["--iterations", "8", "--seed", "2"])
        #expect(run.status == 0, "\(run.standardError)")
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: out))
        #expect(names == ["instrument.safetensors", "checkpoint.safetensors", "original.wav", "reconstruction.wav", "random.wav",
                          "control.png", "spectrogram-original.png", "spectrogram-reconstruction.png", "loss.png", "loss.csv",
                          "report.html", "fft-plans.wisdom"])
        let values = try losses(out).map { Double($0.split(separator: ",")[1])! }
        #expect(values.count == 8)
        #expect(values.last! < values.first!)
        let page = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        for name in ["original.wav", "reconstruction.wav", "random.wav", "control.png", "loss.png",
                     "spectrogram-original.png", "spectrogram-reconstruction.png"] { #expect(page.contains(name)) }
    }

    @Test func resumingContinuesExactlyAsAnUninterruptedFit() throws {
        let whole = folder + "/whole", parts = folder + "/parts"
        // No shared plans: the first part measures its own and keeps them in its folder, and
        // the resumed part must recall them from there.
        let noSharedPlans = ["HARP_FFT_WISDOM": ""]
        let first = try HarpBinary.run(["fit", clip, "-o", parts, "--iterations", "3"] + Self.tinyModel, environment: noSharedPlans)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardError.contains("measuring FFT plans"))
        let plans = try String(contentsOfFile: parts + "/fft-plans.wisdom", encoding: .utf8)
        #expect(plans.hasPrefix("(fftw-"))
        let resumed = try HarpBinary.run(["fit", clip, "-o", parts, "--iterations", "6", "--resume"] + Self.tinyModel,
                                         environment: noSharedPlans)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(!resumed.standardError.contains("measuring FFT plans"))
        // The uninterrupted fit is given the same plans through the shared file.
        try plans.write(toFile: folder + "/fftw-wisdom", atomically: true, encoding: .utf8)
        #expect(try fit(whole, ["--iterations", "6"]).status == 0)
        #expect(try losses(parts) == losses(whole))
    }

    @Test func interruptStopsCleanlyWithAResumableCheckpoint() throws {
        let out = folder + "/interrupted"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: HarpBinary.path!)
        process.arguments = ["fit", clip, "-o", out, "--iterations", "100000"] + Self.tinyModel
        process.environment = ProcessInfo.processInfo.environment.merging(wisdom) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 4)
        process.interrupt()
        // Bounded wait: a fit that ignores Ctrl-C must fail this test, not hang the suite.
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(FileManager.default.fileExists(atPath: out + "/checkpoint.safetensors"))
        #expect(FileManager.default.fileExists(atPath: out + "/instrument.safetensors"))
        let done = try losses(out).count
        let resumed = try fit(out, ["--iterations", String(done + 2), "--resume"])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(try losses(out).count == done + 2)
    }

    @Test func renderIsBitIdenticalForTheSameInputsAndRejectsBadControls() throws {
        let out = folder + "/inst"
        #expect(try fit(out, ["--iterations", "2"]).status == 0)
        let instrument = out + "/instrument.safetensors"
        for mode in [["--random", "--seed", "4"], ["--fitted"]] {
            #expect(try HarpBinary.run(["render", instrument, "-o", folder + "/a.wav"] + mode).status == 0)
            #expect(try HarpBinary.run(["render", instrument, "-o", folder + "/b.wav"] + mode).status == 0)
            #expect(FileManager.default.contents(atPath: folder + "/a.wav") == FileManager.default.contents(atPath: folder + "/b.wav"))
        }
        // A score with a named event, a fitted frame, an explicit vector and a deformation curve.
        let score = #"{"events":[{"time":0,"event":0},{"time":0.1,"frame":5,"gain":2},{"time":0.2,"control":[0,1,0,0]}],"deformation":[{"time":0,"weights":[1,0]},{"time":0.3,"weights":[0,1]}]}"#
        try score.write(toFile: folder + "/score.json", atomically: true, encoding: .utf8)
        let scored = try HarpBinary.run(["render", instrument, "-o", folder + "/score.wav", "--score", folder + "/score.json"])
        #expect(scored.status == 0, "\(scored.standardError)")

        let badScore = #"{"events":[{"time":0,"control":[1,2]}]}"#
        try badScore.write(toFile: folder + "/bad.json", atomically: true, encoding: .utf8)
        let rejected = try HarpBinary.run(["render", instrument, "-o", folder + "/x.wav", "--score", folder + "/bad.json"])
        #expect(rejected.status != 0 && rejected.errorLines.count == 1)

        // A control signal of the wrong shape, as .npy (version 1.0 header, float32).
        try NPYBytes.float32(shape: [3, 7], values: [Float](repeating: 0.5, count: 21)).write(to: URL(fileURLWithPath: folder + "/c.npy"))
        let wrongShape = try HarpBinary.run(["render", instrument, "-o", folder + "/x.wav", "--control", folder + "/c.npy"])
        #expect(wrongShape.status != 0 && wrongShape.errorLines.count == 1)
        #expect(wrongShape.standardError.contains("shape"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/x.wav"))
    }

    /// A sparsity penalty that swamps the reconstruction drives every control value to zero; the
    /// fit then stops with one line instead of spending its remaining iterations on silence.
    @Test func aDeadControlSignalStopsTheFitWithOneLine() throws {
        let out = folder + "/dead"
        let run = try fit(out, ["--iterations", "2000", "--sparsity", "100000"])
        #expect(run.status != 0)
        // stderr also carries the progress bar; exactly one line is the error.
        let errors = run.errorLines.filter { $0.hasPrefix("harp: error:") }
        #expect(errors.count == 1 && errors[0].contains("control signal died"), "\(run.standardError)")
        // The advice names the penalty that silenced it here.
        #expect(errors.first?.contains("lower --sparsity") == true)
        let steps = try losses(out).count
        #expect(steps >= 100 && steps < 2000)
        #expect(FileManager.default.fileExists(atPath: out + "/report.html"))
    }

    @Test func badClipsGetOneLineAndNoOutput() throws {
        let silent = folder + "/silent.wav", short = folder + "/short.wav", nan = folder + "/nan.wav"
        try WAVBytes.write(WAVBytes.make(channelCount: 1, sampleRate: 22050, bitsPerSample: 16,
                                         payload: [UInt8](repeating: 0, count: 2 * 20_000)), to: silent)
        try WAVBytes.write(WAVBytes.make(channelCount: 1, sampleRate: 22050, bitsPerSample: 16,
                                         payload: WAVBytes.sine(frameCount: 1000, channelCount: 1, sampleRate: 22050)), to: short)
        var values = [Float](repeating: 0.1, count: 20_000)
        values[500] = .nan
        try WAVBytes.write(WAVBytes.make(formatTag: 3, channelCount: 1, sampleRate: 22050, bitsPerSample: 32,
                                         payload: WAVBytes.float32(values)), to: nan)
        for (file, phrase) in [(silent, "silent"), (short, "needs"), (nan, "NaN")] {
            let run = try HarpBinary.run(["fit", file, "-o", folder + "/never"] + Self.tinyModel + ["--iterations", "2"])
            #expect(run.status != 0)
            #expect(run.errorLines.count == 1, "\(run.standardError)")
            #expect(run.standardError.contains(phrase), "\(run.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/never/instrument.safetensors"))
    }

    /// Half a second of a decaying tone against the default 5.94 s model: the model follows the
    /// clip (11 025 samples ⇒ 86 whole control frames of 128 = 11 008 samples), says so on stdout
    /// and in the report, and a resume continues at that length.
    @Test func aClipShorterThanTheModelIsFittedAtItsOwnLength() throws {
        let short = folder + "/short.wav", out = folder + "/short"
        let tone = (0..<11_025).map { i -> Int16 in
            let t = Double(i) / 22_050
            return Int16(16_000 * exp(-4 * t) * sin(2 * Double.pi * 330 * t))
        }
        try WAVBytes.write(WAVBytes.make(channelCount: 1, sampleRate: 22_050, bitsPerSample: 16,
                                         payload: tone.flatMap { [UInt8(UInt16(bitPattern: $0) & 0xFF), UInt8(UInt16(bitPattern: $0) >> 8)] }),
                           to: short)
        let small = ["--oscillators", "4", "--resonances", "4", "--control-dimensions", "4"]
        let run = try HarpBinary.run(["fit", short, "-o", out, "--iterations", "3"] + small, environment: wisdom)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("fitting a model of 0.50 s (11008 samples, 86 control frames)"), "\(run.standardOutput)")
        let page = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(page.contains("the model follows the clip: 0.50 s, 11008 samples in 86 whole control frames"), "\(page)")
        for name in ["original.wav", "reconstruction.wav"] {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: out + "/" + name)[.size] as? NSNumber)
            #expect(size.intValue == 44 + 2 * 11_008, "\(name)")
        }
        let resumed = try HarpBinary.run(["fit", short, "-o", out, "--iterations", "5", "--resume"] + small, environment: wisdom)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(try losses(out).count == 5)
        let resumedPage = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(resumedPage.contains("the model follows the clip: 0.50 s"), "the checkpoint keeps the length asked for")
    }

    /// `harp render` reads three files and writes one: each error names the one at fault.
    @Test func renderErrorsNameTheFileAtFault() throws {
        let out = folder + "/named"
        #expect(try fit(out, ["--iterations", "1"]).status == 0)
        let instrument = out + "/instrument.safetensors"
        func failure(_ arguments: [String]) throws -> String {
            let run = try HarpBinary.run(["render"] + arguments)
            #expect(run.status != 0 && run.status < 128 && run.errorLines.count == 1, "\(run.standardError)")
            return run.standardError
        }
        let score = folder + "/negative.json"
        try #"{"events":[{"time":-1,"event":0}]}"#.write(toFile: score, atomically: true, encoding: .utf8)
        let badScore = try failure([instrument, "-o", folder + "/x.wav", "--score", score])
        #expect(badScore.hasPrefix("harp: error: \(score): bad score: event 0: time must be ≥ 0"), "\(badScore)")
        let missing = try failure([instrument, "-o", folder + "/x.wav", "--score", folder + "/missing.json"])
        #expect(missing.hasPrefix("harp: error: \(folder)/missing.json: bad score: no such file"), "\(missing)")
        let notJSON = folder + "/not.json"
        try "{events".write(toFile: notJSON, atomically: true, encoding: .utf8)
        #expect(try failure([instrument, "-o", folder + "/x.wav", "--score", notJSON]).hasPrefix("harp: error: \(notJSON): bad score: not valid JSON"))

        let control = folder + "/c.npy"
        try NPYBytes.float32(shape: [3, 7], values: [Float](repeating: 0.5, count: 21)).write(to: URL(fileURLWithPath: control))
        let badControl = try failure([instrument, "-o", folder + "/x.wav", "--control", control])
        #expect(badControl.hasPrefix("harp: error: \(control): bad control signal: shape [3, 7]"), "\(badControl)")

        let notAnInstrument = folder + "/fake.safetensors"
        try Data("not safetensors".utf8).write(to: URL(fileURLWithPath: notAnInstrument))
        let badInstrument = try failure([notAnInstrument, "-o", folder + "/x.wav", "--random"])
        #expect(badInstrument.hasPrefix("harp: error: \(notAnInstrument): not a valid instrument file"), "\(badInstrument)")

        let badOutput = try failure([instrument, "-o", folder + "/x.xyz", "--random"])
        #expect(badOutput.hasPrefix("harp: error: \(folder)/x.xyz: "), "\(badOutput)")
        #expect(try failure([instrument, "-o", instrument, "--random"]).hasPrefix("harp: error: \(instrument): this is the instrument"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/x.wav"))
    }

    /// `harp fit --resume` reads the checkpoint: a missing or damaged one is named.
    @Test func resumeErrorsNameTheCheckpoint() throws {
        let out = folder + "/damaged"
        let missing = try fit(out, ["--iterations", "2", "--resume"])
        #expect(missing.status != 0 && missing.errorLines.count == 1)
        #expect(missing.standardError.hasPrefix("harp: error: \(out)/checkpoint.safetensors: no checkpoint to resume"), "\(missing.standardError)")
        #expect(try fit(out, ["--iterations", "1"]).status == 0)
        try Data("damaged".utf8).write(to: URL(fileURLWithPath: out + "/checkpoint.safetensors"))
        let damaged = try fit(out, ["--iterations", "2", "--resume"])
        #expect(damaged.status != 0 && damaged.errorLines.count == 1)
        #expect(damaged.standardError.hasPrefix("harp: error: \(out)/checkpoint.safetensors: not a valid fit checkpoint"),
                "\(damaged.standardError)")
    }

    /// Options that shape the fit may be left out on --resume (the checkpoint's are used), but one
    /// given with another value is refused, each difference named, and nothing is fitted.
    @Test func resumeRefusesChangedOptionsNamingEachDifference() throws {
        let out = folder + "/changed"
        #expect(try fit(out, ["--iterations", "2", "--learning-rate", "0.002", "--seed", "4"]).status == 0)
        let changed = try fit(out, ["--iterations", "4", "--resume", "--learning-rate", "0.0001", "--seed", "5", "--sparsity", "0.5"])
        #expect(changed.status != 0 && changed.errorLines.count == 1, "\(changed.standardError)")
        let line = changed.standardError
        #expect(line.hasPrefix("harp: error: \(out)/checkpoint.safetensors: --resume: "), "\(line)")
        #expect(line.contains("--learning-rate is 0.0001 but the checkpoint was made with 0.002"), "\(line)")
        #expect(line.contains("--seed is 5 but the checkpoint was made with 4"), "\(line)")
        #expect(!line.contains("--sparsity") && !line.contains("--resonances"), "unchanged options are not differences: \(line)")

        let other = try HarpBinary.run(["fit", clip, "-o", out, "--iterations", "4", "--resume", "--samples", "4096",
                                        "--oscillators", "8"], environment: wisdom)
        #expect(other.standardError.contains("--oscillators is 8 but the checkpoint was made with 4"), "\(other.standardError)")
        #expect(other.standardError.contains("--samples is 4096 but the checkpoint was made with 8192"), "\(other.standardError)")
        let copy = folder + "/renamed.flac"
        try FileManager.default.copyItem(atPath: clip, toPath: copy)
        let renamed = try HarpBinary.run(["fit", copy, "-o", out, "--iterations", "4", "--resume"], environment: wisdom)
        #expect(renamed.standardError.contains("the clip is renamed.flac but the checkpoint was made from perc_bell.flac"),
                "\(renamed.standardError)")
        #expect(try losses(out).count == 2, "a refused resume fits nothing")

        // Left out, every option is the checkpoint's: the fit continues.
        let continued = try HarpBinary.run(["fit", clip, "-o", out, "--iterations", "4", "--resume"], environment: wisdom)
        #expect(continued.status == 0, "\(continued.standardError)")
        #expect(try losses(out).count == 4)
    }

    @Test func instrumentFromAFutureFormatVersionIsRefused() throws {
        let out = folder + "/future"
        #expect(try fit(out, ["--iterations", "1"]).status == 0)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: out + "/instrument.safetensors"))
        let marker = Data(#""harp.format_version":"1""#.utf8)
        let range = try #require(bytes.range(of: marker))
        bytes.replaceSubrange(range, with: Data(#""harp.format_version":"9""#.utf8))
        try bytes.write(to: URL(fileURLWithPath: out + "/future.safetensors"))
        let run = try HarpBinary.run(["render", out + "/future.safetensors", "-o", folder + "/y.wav", "--random"])
        #expect(run.status != 0 && run.errorLines.count == 1)
        #expect(run.standardError.contains("version 9"), "\(run.standardError)")
    }
}

/// A float32 .npy written byte by byte (format 1.0), so the test does not lean on Harp's writer.
enum NPYBytes {
    static func float32(shape: [Int], values: [Float]) -> Data {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(dims)), }"
        while (10 + header.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93]) + Data("NUMPY".utf8) + Data([1, 0])
        data += Data([UInt8(header.count & 0xFF), UInt8(header.count >> 8)]) + Data(header.utf8)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data += Data($0) } }
        return data
    }
}
