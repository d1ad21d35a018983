import Foundation
import Testing

/// `harp train latent` end to end on a tiny model (given by --config) and a folder of tones: it
/// trains, checkpoints, exports a folder `harp latents` runs, writes the report, resumes, and
/// turns bad input into one line.
@Suite(.enabled(if: HarpBinary.path != nil, "skipped: build the harp executable first (swift build)"))
struct TrainLatentCommandTests {
    let folder: String
    let data: String
    let config: String

    init() throws {
        folder = try HarpBinary.makeTemporaryFolder()
        data = folder + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        for (index, rate) in [44100, 22050, 48000].enumerated() {
            let tone = WAVBytes.sine(frameCount: rate / 2, channelCount: 1, sampleRate: rate)
            try WAVBytes.write(WAVBytes.make(channelCount: 1, sampleRate: UInt32(rate), bitsPerSample: 16, payload: tone),
                               to: data + "/tone\(index).wav")
        }
        config = folder + "/tiny.json"
        let tiny = """
            {"batch_size": 2, "frames": 16, "warmup_steps": 0, "model": {"hop": 32, "base_channels": 4,
             "multipliers_list": [1, 1, 2, 2, 2], "layers_list": [1, 1, 1, 1, 1], "attention_list": [0, 0, 0, 1, 1],
             "attention_list_encoder": [0, 0, 0, 0, 1], "bottleneck_base_channels": 8, "num_bottleneck_layers": 1,
             "heads": 2, "cond_channels": 8, "bottleneck_channels": 4, "sample_rate": 44100}}
            """
        try Data(tiny.utf8).write(to: URL(fileURLWithPath: config))
    }

    private func expectOneLineFailure(_ arguments: [String], mentioning words: [String],
                                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try HarpBinary.run(arguments)
        #expect(run.status != 0 && run.status < 128, "\(arguments): exit \(run.status)", sourceLocation: sourceLocation)
        let errors = run.errorLines.filter { $0.hasPrefix("harp: error") }
        #expect(errors.count == 1, "\(run.standardError)", sourceLocation: sourceLocation)
        for word in words { #expect(run.standardError.contains(word), "\(run.standardError)", sourceLocation: sourceLocation) }
    }

    @Test func trainsExportsAModelAndResumes() throws {
        let run = folder + "/run"
        let common = ["train", "latent", data, "-o", run, "--config", config, "--steps", "3", "--checkpoint-every", "2",
                      "--report-every", "3"]
        let first = try HarpBinary.run(common)
        #expect(first.status == 0, "\(first.standardError)")
        for file in ["checkpoint.safetensors", "model/config.json", "model/model.safetensors", "report/index.html"] {
            #expect(FileManager.default.fileExists(atPath: run + "/" + file), "\(file) missing")
        }
        let page = try String(contentsOfFile: run + "/report/index.html", encoding: .utf8)
        #expect(page.contains("loss-consistency.png"), "\(page.prefix(400))")
        // The exported folder is a model harp latents runs.
        let encode = try HarpBinary.run(["latents", "encode", data + "/tone0.wav", "-o", folder + "/t.npy", "--model", run + "/model"])
        #expect(encode.status == 0, "\(encode.standardError)")
        let decode = try HarpBinary.run(["latents", "decode", folder + "/t.npy", "-o", folder + "/t.wav", "--model", run + "/model"])
        #expect(decode.status == 0, "\(decode.standardError)")
        let again = try HarpBinary.run(common + ["--resume"])
        #expect(again.status == 0 && again.standardError.contains("resuming at step 3"), "\(again.standardError)")
        try expectOneLineFailure(common + ["--resume", "--batch", "3"], mentioning: ["batch_size"])
        try expectOneLineFailure(common, mentioning: ["--resume"])
    }

    @Test func badInputIsOneLine() throws {
        try expectOneLineFailure(["train", "latent", data, "-o", folder + "/none", "--config", config, "--resume"],
                                 mentioning: ["no checkpoint"])
        let bad = folder + "/bad.json"
        try Data(#"{"batchsize": 2}"#.utf8).write(to: URL(fileURLWithPath: bad))
        try expectOneLineFailure(["train", "latent", data, "-o", folder + "/r", "--config", bad], mentioning: ["unknown key batchsize"])
        try Data(#"{"frames": 12}"#.utf8).write(to: URL(fileURLWithPath: bad))
        try expectOneLineFailure(["train", "latent", data, "-o", folder + "/r", "--config", bad], mentioning: ["multiple of 8"])
        try expectOneLineFailure(["train", "latent", folder + "/nothing", "-o", folder + "/r", "--config", config], mentioning: ["nothing"])
    }
}
