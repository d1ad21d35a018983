import Foundation
import Testing

/// `harp train generator` then `harp generate` without --model, end to end on a tiny model and a
/// tiny MiniLM (HARP_MINILM) over short tones; the absent default generator and MiniLM are one line.
@Suite(.enabled(if: HarpBinary.path != nil, "skipped: build the harp executable first (swift build)"))
struct TrainGeneratorCommandTests {
    let folder: String
    let data: String
    let miniLM = HarpBinary.repositoryRoot.appendingPathComponent("Tests/HarpGenerateTests/Fixtures/generator/minilm_tiny").path
    static let tiny = ["--batch", "2", "--seconds", "0.3", "--width", "16", "--layers", "1", "--heads", "2",
                       "--checkpoint-every", "2", "--report-every", "100", "--sample-seconds", "0.1"]

    init() throws {
        folder = try HarpBinary.makeTemporaryFolder()
        data = folder + "/corpus/music/tones"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        for (index, rate) in [24000, 16000].enumerated() {
            let tone = WAVBytes.sine(frameCount: rate, channelCount: 1, sampleRate: rate)
            try WAVBytes.write(WAVBytes.make(channelCount: 1, sampleRate: UInt32(rate), bitsPerSample: 16, payload: tone),
                               to: data + "/piano_theme\(index).wav")
        }
    }

    @Test func trainsThenGeneratesWithTheTrainedModelAsTheDefault() throws {
        let run = folder + "/run"
        let environment = ["HARP_MINILM": miniLM]
        let trained = try HarpBinary.run(["train", "generator", folder + "/corpus/music", "-o", run, "--steps", "3"] + Self.tiny,
                                         environment: environment)
        #expect(trained.status == 0, "\(trained.standardError)")
        #expect(FileManager.default.fileExists(atPath: run + "/model/model.safetensors"))
        #expect(FileManager.default.fileExists(atPath: run + "/report/index.html"))
        let again = try HarpBinary.run(["train", "generator", folder + "/corpus/music", "-o", run, "--steps", "3"] + Self.tiny,
                                       environment: environment)
        #expect(again.status != 0 && again.errorLines.filter { $0.hasPrefix("harp: error") }.count == 1, "\(again.standardError)")
        #expect(again.standardError.contains("--resume"))

        try Data("battle theme\nsolo piano\n".utf8).write(to: URL(fileURLWithPath: folder + "/prompts.txt"))
        let generated = try HarpBinary.run(["generate", "--prompts", folder + "/prompts.txt", "--duration", "0.2",
                                            "-o", folder + "/out.wav", "--codes-out", folder + "/codes.npy"],
                                           environment: environment.merging(["HARP_GENERATOR_MODEL": run + "/model"]) { $1 })
        #expect(generated.status == 0, "\(generated.standardError)")
        for name in ["out-0.wav", "out-1.wav", "codes.npy"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + name), "\(name)")
        }
    }

    @Test func anAbsentMiniLMIsOneLine() throws {
        let run = try HarpBinary.run(["train", "generator", folder + "/corpus/music", "-o", folder + "/run", "--steps", "1"] + Self.tiny,
                                     environment: ["HARP_MINILM": folder + "/no-minilm"])
        #expect(run.status != 0 && run.status < 128)
        #expect(run.errorLines.filter { $0.hasPrefix("harp: error") }.count == 1, "\(run.standardError)")
        #expect(run.standardError.contains("make minilm"), "\(run.standardError)")
    }

    static var generatorIsBundled: Bool {
        FileManager.default.fileExists(atPath: HarpBinary.repositoryRoot
            .appendingPathComponent("Sources/HarpGenerate/Resources/Models/harp-generator/model.safetensors").path)
    }

    @Test(.enabled(if: !generatorIsBundled)) func noBundledGeneratorIsOneLine() throws {
        let run = try HarpBinary.run(["generate", "calm ambient music", "-o", folder + "/out.wav"], environment: ["HARP_GENERATOR_MODEL": ""])
        #expect(run.status != 0 && run.status < 128)
        #expect(run.errorLines.count == 1, "\(run.standardError)")
        #expect(run.standardError.contains("no generator is bundled"), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out.wav"))
    }
}
