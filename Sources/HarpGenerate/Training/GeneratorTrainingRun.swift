import Foundation
import HarpCodec
import HarpTensor
import HarpText
import HarpTrain

/// A whole generator training run in an output folder: the corpus tokenized once by the bundled
/// codec (`TokenCache`, resumable), the captions embedded once by MiniLM, the trainer, a
/// checkpoint every `checkpointInterval` steps (`resume` continues exactly), the exported model
/// (`model/`, a folder `harp generate --model` reads) and the report (`report/index.html`: loss
/// curves and samples for ten prompts with spectrograms).
public final class GeneratorTrainingRun {
    public struct Options {
        public var dataPaths: [String]
        public var outputFolder: URL
        /// The token cache; `outputFolder/tokens` when `nil`.
        public var cacheFolder: URL?
        /// MiniLM's folder; `MiniLMLocation` when `nil`.
        public var sentenceEncoderFolder: URL?
        public var resume = false
        public var checkpointInterval = 500
        public var reportInterval = 2000
        /// Seconds generated for each report prompt.
        public var sampleSeconds = 4.0
        public var prompts = GeneratorTrainingRun.reportPrompts
        /// Stop after tokenizing (no training).
        public var tokenizeOnly = false

        public init(dataPaths: [String], outputFolder: URL) {
            self.dataPaths = dataPaths
            self.outputFolder = outputFolder
        }
    }

    public enum Event {
        case message(String)
        case tokenizing(done: Int, total: Int, frames: Int)
        case embedding(done: Int, total: Int)
        case step(Int, total: Int, StepResult)
    }

    /// The ten prompts the report plays: instruments and genres the corpus names, its games, speech.
    public static let reportPrompts = [
        "music, battle for wesnoth, fantasy strategy game soundtrack",
        "epic orchestral battle theme",
        "calm peaceful ambient music",
        "rock guitar game song",
        "first-person shooter game soundtrack, techno",
        "real-time strategy game soundtrack, menu theme",
        "speech, telephone voice prompt, spoken in english, female voice",
        "speech spoken in french",
        "speech, fish fillets puzzle game dialogue, spoken in dutch",
        "solo piano",
    ]

    public let configuration: GeneratorTrainingConfiguration
    public let options: Options
    private let events: (Event) -> Void
    private let isInterrupted: @Sendable () -> Bool

    public init(configuration: GeneratorTrainingConfiguration, options: Options,
                events: @escaping (Event) -> Void, isInterrupted: @escaping @Sendable () -> Bool) {
        self.configuration = configuration
        self.options = options
        self.events = events
        self.isInterrupted = isInterrupted
    }

    public var checkpointURL: URL { options.outputFolder.appendingPathComponent("checkpoint.safetensors") }
    public var modelFolder: URL { options.outputFolder.appendingPathComponent("model") }
    public var reportFolder: URL { options.outputFolder.appendingPathComponent("report") }
    public var cacheFolder: URL { options.cacheFolder ?? options.outputFolder.appendingPathComponent("tokens") }

    public var components: GeneratorComponents { GeneratorComponents(bandwidth: configuration.bandwidth) }

    /// Runs to `configuration.totalSteps` or an interruption (a checkpoint is written either way).
    @discardableResult
    public func run() throws -> TrainingStopReason {
        if let problem = configuration.problem() { throw GenerateError.badOption(problem) }
        try checkOutputFolder()
        let codec = try BundledCodec.load()
        guard codec.codebookSize == configuration.model.vocabSize else {
            throw GenerateError.badOption("the codec has \(codec.codebookSize) entries per codebook; the model takes \(configuration.model.vocabSize)")
        }
        let cache = try tokenize(codec: codec)
        if options.tokenizeOnly { return .finished }
        let sentence = try MiniLMLocation.load(folder: options.sentenceEncoderFolder)
        guard sentence.encoder.configuration.hiddenSize == configuration.model.textWidth else {
            throw GenerateError.badOption("the sentence encoder gives \(sentence.encoder.configuration.hiddenSize)-wide states; the model is set up for \(configuration.model.textWidth)")
        }
        let embeddings = try CaptionEmbeddings.load(for: cache, encoder: sentence) { [events] in events(.embedding(done: $0, total: $1)) }
        let data = try GeneratorDataset(cache: cache, embeddings: embeddings)
        events(.message(String(format: "data: %.2f h of music, %.2f h of speech in %d files, %d captions",
                               Double(data.frameCount(category: "music")) / codec.frameRate / 3600,
                               Double(data.frameCount(category: "speech")) / codec.frameRate / 3600,
                               data.entries.count, Set(data.entries.map(\.caption)).count)))
        let trainer = GeneratorTrainer(configuration: configuration)
        let state = try TrainingState(kind: "generator", configuration: configuration)
        trainer.register(in: state)
        if options.resume {
            try state.restore(from: checkpointURL)
            events(.message("resuming at step \(state.step) of \(configuration.totalSteps)"))
        }
        var seconds = (training: 0.0, steps: 0)
        let save = PeriodicCallback(every: options.checkpointInterval) { [self] step in
            state.step = step
            try state.save(to: checkpointURL)
            try trainer.model.export(to: modelFolder, components: components, generation: Self.generationDefaults)
        }
        let report = PeriodicCallback(every: options.reportInterval) { [self] step in
            try writeReport(trainer: trainer, state: state, data: data, sentence: sentence, codec: codec, step: step,
                            secondsPerStep: seconds.training / Double(max(seconds.steps, 1)))
        }
        let loop = TrainingLoop(totalSteps: configuration.totalSteps, callbacks: [save, report], isInterrupted: isInterrupted)
        return try loop.run(from: state.step) { [self] step in
            let batch = data.batch(at: step, configuration: configuration)
            let start = Date()
            let result = trainer.step(step, batch: batch)
            seconds = (seconds.training + Date().timeIntervalSince(start), seconds.steps + 1)
            state.record(result)
            events(.step(step + 1, total: configuration.totalSteps, result))
            return result
        }
    }

    /// Sampling as MusicGen ships it: top-k 250, guidance 3.
    public static let generationDefaults = GenerationConfiguration(doSample: true, topK: 250, guidanceScale: 3)

    /// Tokenizes what is not yet in the cache (resumable), then opens it.
    func tokenize(codec: any NeuralCodec) throws -> TokenCache {
        let files = try CorpusFile.scan(options.dataPaths)
        guard !files.isEmpty else { throw GenerateError.badInput("no audio files in \(options.dataPaths.joined(separator: ", "))") }
        events(.message("tokenizing \(files.count) files into \(cacheFolder.path) (files already there are kept)"))
        let builder = TokenCacheBuilder(codec: codec, bandwidth: configuration.bandwidth)
        let cache = try builder.build(files, into: cacheFolder,
                                      progress: { [events] in events(.tokenizing(done: $0, total: $1, frames: $2)) },
                                      warning: { [events] in events(.message("warning: skipped \($0)")) },
                                      isCancelled: isInterrupted)
        guard !cache.entries.isEmpty else { throw GenerateError.badInput("no file could be tokenized") }
        return cache
    }

    private func checkOutputFolder() throws {
        let exists = FileManager.default.fileExists(atPath: checkpointURL.path)
        if options.resume, !exists { throw GenerateError.badInput("--resume: there is no checkpoint at \(checkpointURL.path)") }
        if !options.resume, exists, !options.tokenizeOnly {
            throw GenerateError.badInput("\(options.outputFolder.path) already holds a run; pass --resume to continue it or choose another folder")
        }
        try FileManager.default.createDirectory(at: options.outputFolder, withIntermediateDirectories: true)
    }
}
