import Foundation
import HarpAudio
import HarpTensor
import HarpTestSupport
import HarpTrain
import Testing
@testable import HarpGenerate

/// `harp train generator` end to end on tiny data: the corpus tokenized by the bundled codec,
/// captions embedded by a tiny MiniLM, a few steps that lower the loss, an exported model that
/// generates, a report, and a resume after an interruption that continues exactly.
@Suite(.serialized) struct GeneratorTrainingRunTests {
    static var miniLM: URL { GeneratorTrainingParityTests.fixtures.appendingPathComponent("minilm_tiny") }

    /// Two music files and one speech file, sines and noise of a second or two.
    static func corpus() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("harp-generator-corpus-\(UUID().uuidString)")
        let files: [(String, Double)] = [("music/wesnoth-1.16-music/battle_theme.wav", 220), ("music/nexuiz-music/calm_piano.wav", 440),
                                         ("speech/klettres-data/fr/alpha/a.wav", 0), ("eval/music/held_out.wav", 330)]
        var generator = RandomGenerator(seed: 3)
        for (path, frequency) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let count = 24_000 + Int(frequency) * 20
            let noise = Tensor.normal([count], standardDeviation: 0.05, generator: &generator).scalars
            let samples = (0..<count).map { i in
                frequency > 0 ? 0.4 * Float(sin(2 * Double.pi * frequency * Double(i) / 24_000)) + noise[i] : noise[i] * 4
            }
            let writer = try AudioFileWriter(path: url.path, format: AudioFormat(container: .wav, encoding: .pcm16), sampleRate: 24_000, channelCount: 1)
            try writer.write(AudioBuffer(interleaved: samples, channelCount: 1, sampleRate: 24_000))
            try writer.commit()
        }
        let manifest = ["path\tpackage\tversion\tcategory"] + files.map { path, _ in
            let parts = path.split(separator: "/")
            return "\(path)\t\(parts[1])\t1\t\(parts[0] == "eval" ? "music" : String(parts[0]))"
        }
        try Data((manifest.joined(separator: "\n") + "\n").utf8).write(to: root.appendingPathComponent("MANIFEST.tsv"))
        return root
    }

    static func configuration() -> GeneratorTrainingConfiguration {
        var c = GeneratorTrainingConfiguration()
        c.model = .tiny(vocabSize: 1024, textWidth: 32)
        c.model.layerCount = 1
        c.totalSteps = 6
        c.batchSize = 2
        c.cropFrames = 20
        c.warmupSteps = 0
        c.learningRate = 3e-3
        return c
    }

    static func options(_ corpus: URL, _ output: URL) -> GeneratorTrainingRun.Options {
        var options = GeneratorTrainingRun.Options(dataPaths: [corpus.path], outputFolder: output)
        options.sentenceEncoderFolder = miniLM
        options.checkpointInterval = 3
        options.reportInterval = 100
        options.sampleSeconds = 0.1
        options.prompts = ["battle theme", "speech spoken in french"]
        return options
    }

    @Test func aShortRunLowersTheLossExportsAModelAndResumesExactly() throws {
        let corpus = try Self.corpus()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("harp-generator-run-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: corpus)
            try? FileManager.default.removeItem(at: scratch)
        }
        // Straight through.
        let straight = GeneratorTrainingRun(configuration: Self.configuration(), options: Self.options(corpus, scratch.appendingPathComponent("a")),
                                            events: { _ in }, isInterrupted: { false })
        #expect(try straight.run() == .finished)
        let cache = try TokenCache.open(folder: straight.cacheFolder)
        #expect(cache.entries.map(\.relativePath) == ["music/nexuiz-music/calm_piano.wav", "music/wesnoth-1.16-music/battle_theme.wav",
                                                      "speech/klettres-data/fr/alpha/a.wav"])   // eval/ left out
        #expect(cache.entries[2].caption.contains("spoken in french"))
        #expect(cache.entries.allSatisfy { $0.frameCount >= 75 })
        let state = try TrainingState(kind: "generator", configuration: Self.configuration())
        try state.restore(from: straight.checkpointURL)
        let losses = state.history["cross-entropy"] ?? []
        #expect(losses.count == 6)
        #expect(losses.suffix(2).reduce(0, +) < losses.prefix(2).reduce(0, +))
        #expect(FileManager.default.fileExists(atPath: straight.reportFolder.appendingPathComponent("index.html").path))
        let pictures = try FileManager.default.contentsOfDirectory(atPath: straight.reportFolder.path).filter { $0.hasSuffix(".png") }
        #expect(pictures.count >= 3)   // two sample spectrograms and the loss curve
        let model = try MusicgenModel.load(folder: straight.modelFolder, sentenceEncoderFolder: Self.miniLM)
        #expect(model.configuration.components?.audioCodec == "harp-codec-24k")
        #expect(model.frameRate == 75)

        // Interrupted after 4 steps, then resumed from the checkpoint written at the stop.
        var options = Self.options(corpus, scratch.appendingPathComponent("b"))
        options.cacheFolder = straight.cacheFolder   // the cache is reused as it is
        let counter = StepCounter(limit: 4)
        let first = GeneratorTrainingRun(configuration: Self.configuration(), options: options,
                                         events: { if case .step = $0 { counter.count() } }, isInterrupted: { counter.reached })
        #expect(try first.run() == .interrupted)
        options.resume = true
        let second = GeneratorTrainingRun(configuration: Self.configuration(), options: options, events: { _ in }, isInterrupted: { false })
        #expect(try second.run() == .finished)
        let resumed = try TrainingState(kind: "generator", configuration: Self.configuration())
        try resumed.restore(from: second.checkpointURL)
        #expect(resumed.history["cross-entropy"] == losses)
    }

    @Test func captionsComeFromTheManifestAndTheNames() {
        #expect(CaptionBuilder.caption(path: "music/wesnoth-1.16-music/battle-epic.ogg", package: "wesnoth-1.16-music", category: "music")
                == "music, battle for wesnoth, fantasy strategy game soundtrack, battle epic")
        #expect(CaptionBuilder.caption(path: "speech/asterisk-core-sounds-fr-g722/fr_CA_f_June/vm-review-nonurgent.flac",
                                       package: "asterisk-core-sounds-fr-g722", category: "speech")
                == "speech, telephone voice prompt, spoken in french, female voice: vm review nonurgent")
        #expect(CaptionBuilder.caption(path: "speech/tuxpaint-stamps-default/animals/birds/pink_flamingo_desc_da.ogg",
                                       package: "tuxpaint-stamps-default", category: "speech")
                == "speech, description of a picture, spoken in danish: animals birds pink flamingo")
        #expect(CaptionBuilder.caption(path: "music/fretsonfire-songs-sectoid/SectoidRockGuitar.ogg",
                                       package: "fretsonfire-songs-sectoid", category: "music")
                == "music, frets on fire, rock guitar game song by sectoid, rock guitar: sectoid")
    }
}

/// Counts training steps from the event callback, for interrupting a run after a few.
final class StepCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var steps = 0
    let limit: Int
    init(limit: Int) { self.limit = limit }
    func count() { lock.lock(); steps += 1; lock.unlock() }
    var reached: Bool { lock.lock(); defer { lock.unlock() }; return steps >= limit }
}
