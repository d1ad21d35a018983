import Foundation
import HarpTensor
import HarpTrain

/// A whole consistency-training run in an output folder: the corpus (cached once at the model's
/// rate, mono), the trainer, a checkpoint every `checkpointInterval` steps (atomic; `resume`
/// continues from it exactly), the exported model (`model/`, a folder `harp latents --model`
/// reads) and the report (`report/index.html`: held-out input beside its one-step
/// reconstruction with spectrograms, mel distance and SI-SDR, the loss curves) every
/// `reportInterval` steps and at the end.
///
/// The command line only parses options and shows progress; everything else happens here.
public final class LatentTrainingRun {
    /// Where and how often things are written, and which process this is.
    public struct Options {
        public var dataPaths: [String]
        public var outputFolder: URL
        /// The corpus cache (16-bit clips at the model's rate); `outputFolder/cache` when `nil`.
        public var cacheFolder: URL?
        public var resume = false
        public var checkpointInterval = 200
        public var reportInterval = 1000
        /// Held-out clips evaluated and played in the report, and their length.
        public var evaluationClipCount = 4
        public var evaluationSeconds = 4.0
        /// Data-parallel rank and process count (MPI); only rank 0 writes.
        public var rank = 0
        public var processCount = 1

        public init(dataPaths: [String], outputFolder: URL) {
            self.dataPaths = dataPaths
            self.outputFolder = outputFolder
        }
    }

    /// What the run tells its caller (the CLI prints it).
    public enum Event {
        case message(String)
        case corpusProgress(done: Int, total: Int)
        case step(Int, total: Int, StepResult)
        case evaluated(step: Int, LatentQuality)
    }

    public let configuration: LatentTrainingConfiguration
    public let options: Options
    public var gradientReducer: (([Tensor]) -> Void)?
    private let events: (Event) -> Void
    private let isInterrupted: @Sendable () -> Bool

    public init(configuration: LatentTrainingConfiguration, options: Options,
                events: @escaping (Event) -> Void, isInterrupted: @escaping @Sendable () -> Bool) {
        self.configuration = configuration
        self.options = options
        self.events = events
        self.isInterrupted = isInterrupted
    }

    public var checkpointURL: URL { options.outputFolder.appendingPathComponent("checkpoint.safetensors") }
    public var modelFolder: URL { options.outputFolder.appendingPathComponent("model") }
    public var reportFolder: URL { options.outputFolder.appendingPathComponent("report") }
    private var writes: Bool { options.rank == 0 }

    /// Runs to `configuration.totalSteps` or an interruption (a checkpoint is written either way).
    @discardableResult
    public func run() throws -> TrainingStopReason {
        let trainer = try LatentTrainer(configuration: configuration)
        try checkOutputFolder()
        let corpus = try buildCorpus()
        trainer.gradientReducer = gradientReducer
        let state = try TrainingState(kind: "latent", configuration: configuration)
        trainer.register(in: state)
        if options.resume {
            try state.restore(from: checkpointURL)
            events(.message("resuming at step \(state.step) of \(configuration.totalSteps)"))
        }
        let batches = BatchSource(clips: corpus.training, cropSampleCount: configuration.cropSampleCount,
                                  batchSize: configuration.batchSize, seed: configuration.seed,
                                  rank: options.rank, processCount: options.processCount)
        let evaluation = try evaluationClips(corpus)
        var seconds = (training: 0.0, steps: 0)
        let save = PeriodicCallback(every: options.checkpointInterval) { [self] step in
            state.step = step
            try state.save(to: checkpointURL)
            try trainer.export(to: modelFolder)
        }
        let report = PeriodicCallback(every: options.reportInterval) { [self] step in
            try writeReport(trainer: trainer, state: state, corpus: corpus, evaluation: evaluation, step: step,
                            secondsPerStep: seconds.training / Double(max(seconds.steps, 1)))
        }
        let loop = TrainingLoop(totalSteps: configuration.totalSteps, callbacks: writes ? [save, report] : [],
                                isInterrupted: isInterrupted)
        return try loop.run(from: state.step) { [self] step in
            let batch = try batches.batch(at: step)
            let start = Date()
            let result = trainer.step(step, batch: batch)
            seconds = (seconds.training + Date().timeIntervalSince(start), seconds.steps + 1)
            state.record(result)
            events(.step(step + 1, total: configuration.totalSteps, result))
            return result
        }
    }

    /// A fresh run needs a folder without a checkpoint; a resumed one needs the checkpoint.
    private func checkOutputFolder() throws {
        let exists = FileManager.default.fileExists(atPath: checkpointURL.path)
        if options.resume, !exists { throw LatentTrainingError.nothingToResume(checkpointURL.path) }
        if !options.resume, exists { throw LatentTrainingError.runExists(options.outputFolder.path) }
        try FileManager.default.createDirectory(at: options.outputFolder, withIntermediateDirectories: true)
    }

    private func buildCorpus() throws -> AudioCorpus {
        let corpusConfiguration = AudioCorpusConfiguration(sampleRate: configuration.model.sampleRate, channelCount: 1)
        let cache = options.cacheFolder ?? options.outputFolder.appendingPathComponent("cache")
        let corpus = try AudioCorpus.build(paths: options.dataPaths, configuration: corpusConfiguration, cacheFolder: cache,
                                           progress: { [events] done, total, _ in events(.corpusProgress(done: done, total: total)) },
                                           isCancelled: isInterrupted)
        for file in corpus.skipped { events(.message("warning: skipped \(file.path): \(file.reason)")) }
        events(.message(String(format: "corpus: %.2f h for training in %d files, %.2f h held out in %d, %d skipped",
                                corpus.trainingSeconds / 3600, corpus.training.count,
                                corpus.heldOutSeconds / 3600, corpus.heldOut.count, corpus.skipped.count)))
        return corpus
    }

    /// The held-out clips the report plays and measures: the middle `evaluationSeconds` of the
    /// longest held-out files (every held-out file if fewer), `[1, samples]` each; none when every
    /// held-out file is too short for one latent frame.
    private func evaluationClips(_ corpus: AudioCorpus) throws -> [(name: String, audio: Tensor)] {
        let store = ClipStore(clips: corpus.heldOut)
        let longest = corpus.heldOut.map(\.sampleCount).max() ?? 0
        let length = min(Int(options.evaluationSeconds * Double(configuration.model.sampleRate)), longest)
        guard length >= configuration.model.minimumSampleCount else { return [] }
        let chosen = corpus.heldOut.indices.sorted {
            (corpus.heldOut[$0].sampleCount, corpus.heldOut[$1].relativePath) > (corpus.heldOut[$1].sampleCount, corpus.heldOut[$0].relativePath)
        }.prefix(options.evaluationClipCount).sorted()
        return try chosen.map { index in
            let clip = corpus.heldOut[index]
            let start = max(0, (clip.sampleCount - length) / 2)
            let samples = try store.samples(ofClip: index, from: start, length: length)
            return (clip.relativePath, Tensor(shape: [clip.channelCount, length], values: samples))
        }
    }

    private func writeReport(trainer: LatentTrainer, state: TrainingState, corpus: AudioCorpus,
                             evaluation: [(name: String, audio: Tensor)], step: Int, secondsPerStep: Double) throws {
        var report = TrainingReport(folder: reportFolder, title: "Latent training: \(options.outputFolder.lastPathComponent)")
        let model = configuration.model
        let autoencoder = trainer.autoencoder
        let parameters = trainer.network.parameters().reduce(0) { $0 + $1.count }
        report.facts = [
            ("step", "\(step) of \(configuration.totalSteps)"),
            ("data", String(format: "%.2f h in %d files (%.2f h held out in %d; %d skipped)", corpus.trainingSeconds / 3600,
                            corpus.training.count, corpus.heldOutSeconds / 3600, corpus.heldOut.count, corpus.skipped.count)),
            ("model", "music2latent layout, \(model.sampleRate) Hz, hop \(model.hop), \(model.baseChannels) base channels × "
                + "\(model.multipliers), latents \(model.bottleneckChannels) × \(String(format: "%.2f", autoencoder.latentRate)) Hz, "
                + "\(parameters) parameters"),
            ("batch", "\(configuration.batchSize) crops of \(configuration.frames) STFT frames (\(configuration.cropSampleCount) samples)"),
            ("schedule", String(format: "Δt %.4f now (%.3g → %.3g), learning rate %.3g", trainer.timeStep(at: step),
                                configuration.initialTimeStep, pow(configuration.initialTimeStep, configuration.timeStepExponent),
                                trainer.schedule.learningRate(at: step))),
            ("speed", String(format: "%.2f s per step (this session)", secondsPerStep)),
        ]
        if !evaluation.isEmpty {
            let quality = try trainer.evaluate(evaluation.map(\.audio))
            events(.evaluated(step: step, quality))
            report.tables = [TrainingReport.Table(
                caption: "Held-out one-step reconstructions (weight average; mean over \(evaluation.count) clips of ≤ \(options.evaluationSeconds) s)",
                header: ["mel distance ↓", "SI-SDR dB ↑"],
                rows: [[String(format: "%.3f", quality.melDistance), String(format: "%.2f", quality.siSDR)]])]
            for (name, audio) in evaluation {
                try report.addAudioRow(caption: name, clips: [("input", audio), ("reconstruction", try trainer.reconstruct(audio))],
                                       sampleRate: model.sampleRate)
            }
        } else {
            report.notes = ["No held-out file is long enough for one latent frame; nothing was evaluated."]
        }
        try report.write(history: state.history)
    }
}

/// Why a latent run cannot start; each description is one line.
public enum LatentTrainingError: Error, CustomStringConvertible {
    case nothingToResume(String)
    case runExists(String)

    public var description: String {
        switch self {
        case let .nothingToResume(path): return "--resume: there is no checkpoint at \(path)"
        case let .runExists(path): return "\(path) already holds a run; pass --resume to continue it or choose another folder"
        }
    }
}
