import Foundation
import HarpNN
import HarpTensor
import HarpTrain

/// A whole Asura training run over folders of audio: the corpus (resampled to 44.1 kHz with the
/// config's `d_signal` channels, cached once), random crops of one example's length, the trainer,
/// a checkpoint every `checkpointInterval` steps and at the end (resumable exactly), and the model
/// (`model.safetensors`, the config in its metadata under `asura.config`).
public final class AsuraTrainingRun {
    public struct Options {
        public var dataPaths: [String]
        public var outputFolder: URL
        public var steps: Int
        public var seed: UInt64 = 0
        public var sampleRate = 44_100
        public var checkpointInterval = 200
        public var resume = false
        public var cacheFolder: URL?

        public init(dataPaths: [String], outputFolder: URL, steps: Int) {
            self.dataPaths = dataPaths
            self.outputFolder = outputFolder
            self.steps = steps
        }
    }

    /// What the caller may show.
    public enum Event {
        case corpusProgress(done: Int, total: Int)
        case step(Int, losses: [String: Float])
        case message(String)
    }

    public let configuration: AsuraConfiguration
    public let configurationText: String
    public let options: Options
    public var checkpointURL: URL { options.outputFolder.appendingPathComponent("checkpoint.safetensors") }
    public var modelURL: URL { options.outputFolder.appendingPathComponent("model.safetensors") }

    /// The settings a checkpoint must share to be resumed.
    struct Settings: Encodable {
        var config: [String: String]
        var seed: UInt64
        var sampleRate: Int
    }

    public init(configuration: AsuraConfiguration, configurationText: String, options: Options) {
        self.configuration = configuration
        self.configurationText = configurationText
        self.options = options
    }

    /// Runs until `options.steps` steps are done or `isInterrupted` turns true.
    public func run(events: (Event) -> Void, isInterrupted: @escaping () -> Bool) throws -> TrainingStopReason {
        try FileManager.default.createDirectory(at: options.outputFolder, withIntermediateDirectories: true)
        let corpus = try AudioCorpus.build(
            paths: options.dataPaths,
            configuration: AudioCorpusConfiguration(sampleRate: options.sampleRate,
                                                    channelCount: configuration.model.signalChannels),
            cacheFolder: options.cacheFolder ?? options.outputFolder.appendingPathComponent("cache"),
            progress: nil)
        for skipped in corpus.skipped { events(.message("skipped \(skipped.path): \(skipped.reason)")) }
        let batches = BatchSource(clips: corpus.training, cropSampleCount: configuration.model.exampleLengthSamples,
                                  batchSize: configuration.batchSize, seed: options.seed)

        var generator = RandomGenerator(seed: options.seed)
        let model = AsuraModel(configuration.model, generator: &generator)
        let trainer = AsuraTrainer(configuration: configuration, model: model, seed: options.seed)
        let state = try TrainingState(kind: "asura", configuration: Settings(
            config: configuration.flattened, seed: options.seed, sampleRate: options.sampleRate))
        state.register(model, named: "asura")
        state.register(trainer.optimizer, named: "asura")
        state.register(trainer.average, named: "asura")
        if options.resume {
            try state.restore(from: checkpointURL)
            if let draws = state.generators["draws"] { trainer.draws.generator = draws }
        }
        let save = PeriodicCallback(every: options.checkpointInterval) { [self] _ in
            state.generators["draws"] = trainer.draws.generator
            try state.save(to: checkpointURL)
            try saveModel(model)
        }
        let loop = TrainingLoop(totalSteps: options.steps, callbacks: [save], isInterrupted: isInterrupted)
        return try loop.run(from: state.step) { step in
            // [batch, channels, samples] → [batch, samples, channels], the reference's layout.
            let batch = try batches.batch(at: step).permuted([0, 2, 1])
            let losses = trainer.step(batch, step: step)
            let result = StepResult(losses: losses)
            state.step = step + 1
            state.record(result)
            events(.step(step + 1, losses: losses))
            return result
        }
    }

    /// The trained weights with the config file's text in the metadata.
    func saveModel(_ model: AsuraModel) throws {
        try model.save(to: modelURL, metadata: ["asura.config": configurationText, "harp.format": "asura-model"])
    }
}
