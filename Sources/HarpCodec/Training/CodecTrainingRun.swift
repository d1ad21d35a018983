import Foundation
import HarpTensor
import HarpTrain

/// A whole codec training run in an output folder: the corpus (cached once), the trainer, a
/// checkpoint every `checkpointInterval` steps (atomic; `resume` continues from it exactly), the
/// exported model (`model/`, an EnCodec folder `harp encode --model` reads) and the report
/// (`report/index.html`: held-out audio at each bitrate with spectrograms, the metrics table, the
/// loss curves) every `reportInterval` steps and at the end.
///
/// The command line only parses options and shows progress; everything else happens here.
public final class CodecTrainingRun {
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
        public var evaluationClipCount = 6
        public var evaluationSeconds = 4.0
        /// The processes of a data-parallel run (`mpirun`), or `nil` for one process. Each
        /// trains on its shard of every batch; gradients, codebook statistics and losses are
        /// shared; only rank 0 writes.
        public var processGroup: ProcessGroup?
        public var rank: Int { processGroup?.rank ?? 0 }
        public var processCount: Int { processGroup?.size ?? 1 }

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
        case evaluated(step: Int, [(bandwidth: Double, quality: CodecQuality)])
    }

    public let configuration: CodecTrainingConfiguration
    public let options: Options
    public var gradientReducer: (([Tensor]) -> Void)?
    private let events: (Event) -> Void
    private let isInterrupted: @Sendable () -> Bool

    public init(configuration: CodecTrainingConfiguration, options: Options,
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
        try checkOutputFolder()
        let corpus = try buildCorpus()
        let trainer = try CodecTrainer(configuration: configuration)
        trainer.gradientReducer = gradientReducer
        if let group = options.processGroup {
            trainer.gradientReducer = { group.averageGradients(of: $0) }
            trainer.model.quantizer.processGroup = group
        }
        let state = try TrainingState(kind: "codec", configuration: configuration)
        trainer.register(in: state)
        if options.resume {
            try state.restore(from: checkpointURL)
            if let generator = state.generators["codebooks"] { trainer.codebookGenerator = generator }
            events(.message("resuming at step \(state.step) of \(configuration.totalSteps)"))
        }
        let batches = BatchSource(clips: corpus.training, cropSampleCount: configuration.cropSampleCount,
                                  batchSize: configuration.batchSize, seed: configuration.seed,
                                  rank: options.rank, processCount: options.processCount)
        let evaluation = try evaluationClips(corpus)
        var seconds = (training: 0.0, steps: 0)
        let save = PeriodicCallback(every: options.checkpointInterval) { [self] step in
            try checkpoint(state, trainer: trainer, step: step)
        }
        let report = PeriodicCallback(every: options.reportInterval) { [self] step in
            try writeReport(trainer: trainer, state: state, corpus: corpus, evaluation: evaluation, step: step,
                            secondsPerStep: seconds.training / Double(max(seconds.steps, 1)))
        }
        let group = options.processGroup
        let loop = TrainingLoop(totalSteps: configuration.totalSteps, callbacks: writes ? [save, report] : [],
                                isInterrupted: { [isInterrupted] in group?.anyProcess(isInterrupted()) ?? isInterrupted() })
        return try loop.run(from: state.step) { [self] step in
            let batch = try batches.batch(at: step)
            let start = Date()
            var result = trainer.step(step, batch: batch)
            if let group { result = group.averaged(result) }
            seconds = (seconds.training + Date().timeIntervalSince(start), seconds.steps + 1)
            state.record(result)
            events(.step(step + 1, total: configuration.totalSteps, result))
            return result
        }
    }

    /// A fresh run needs a folder without a checkpoint; a resumed one needs the checkpoint.
    private func checkOutputFolder() throws {
        let exists = FileManager.default.fileExists(atPath: checkpointURL.path)
        if options.resume, !exists {
            throw CodecTrainingError.nothingToResume(checkpointURL.path)
        }
        if !options.resume, exists {
            throw CodecTrainingError.runExists(options.outputFolder.path)
        }
        try FileManager.default.createDirectory(at: options.outputFolder, withIntermediateDirectories: true)
    }

    private func buildCorpus() throws -> AudioCorpus {
        let corpusConfiguration = AudioCorpusConfiguration(sampleRate: configuration.model.samplingRate,
                                                           channelCount: configuration.model.audioChannels)
        let cache = options.cacheFolder ?? options.outputFolder.appendingPathComponent("cache")
        // Rank 0 fills the cache while the others wait; they then find every clip converted.
        if let group = options.processGroup, group.rank != 0 { group.barrier() }
        let corpus = try AudioCorpus.build(paths: options.dataPaths, configuration: corpusConfiguration, cacheFolder: cache,
                                           progress: { [events] done, total, _ in events(.corpusProgress(done: done, total: total)) },
                                           isCancelled: isInterrupted)
        if let group = options.processGroup {
            // (A rank that fails instead ends the whole job: mpirun stops every process.)
            if group.rank == 0 { group.barrier() }
            // Different corpora would give the processes different crop sequences, silently.
            let summary = [corpus.training.count, corpus.heldOut.count,
                           corpus.training.reduce(0) { ($0 + $1.sampleCount) % (1 << 24) }]
            guard group.allAgree(on: summary) else { throw CodecTrainingError.corporaDiffer }
        }
        for file in corpus.skipped { events(.message("warning: skipped \(file.path): \(file.reason)")) }
        events(.message(String(format: "corpus: %.2f h for training in %d files, %.2f h held out in %d, %d skipped",
                                corpus.trainingSeconds / 3600, corpus.training.count,
                                corpus.heldOutSeconds / 3600, corpus.heldOut.count, corpus.skipped.count)))
        return corpus
    }

    /// The held-out clips the report plays and measures: the middle `evaluationSeconds` of the
    /// longest held-out files (every held-out file if fewer), `[channels, samples]` each.
    private func evaluationClips(_ corpus: AudioCorpus) throws -> [(name: String, audio: Tensor)] {
        let store = ClipStore(clips: corpus.heldOut)
        // No longer than the longest held-out file (a short corpus is not padded with silence),
        // and at least one frame of the largest STFT the metrics take.
        let longest = corpus.heldOut.map(\.sampleCount).max() ?? 0
        let length = max(4096, min(Int(options.evaluationSeconds * Double(configuration.model.samplingRate)), longest))
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

    private func checkpoint(_ state: TrainingState, trainer: CodecTrainer, step: Int) throws {
        state.step = step
        state.generators["codebooks"] = trainer.codebookGenerator
        try state.save(to: checkpointURL)
        try trainer.export(to: modelFolder)
    }

    private func writeReport(trainer: CodecTrainer, state: TrainingState, corpus: AudioCorpus,
                             evaluation: [(name: String, audio: Tensor)], step: Int, secondsPerStep: Double) throws {
        let qualities = trainer.evaluate(evaluation.map(\.audio))
        events(.evaluated(step: step, qualities))
        var report = TrainingReport(folder: reportFolder, title: "Codec training: \(options.outputFolder.lastPathComponent)")
        let model = configuration.model
        report.facts = [
            ("step", "\(step) of \(configuration.totalSteps)"),
            ("data", String(format: "%.2f h in %d files (%.2f h held out in %d; %d skipped)", corpus.trainingSeconds / 3600,
                            corpus.training.count, corpus.heldOutSeconds / 3600, corpus.heldOut.count, corpus.skipped.count)),
            ("model", "EnCodec layout, \(model.samplingRate) Hz, \(model.numFilters) filters, ratios \(model.upsamplingRatios), "
                + "\(model.maximumQuantizerCount) codebooks of \(model.codebookSize), \(trainer.model.parameters().reduce(0) { $0 + $1.count }) parameters"),
            ("batch", "\(configuration.batchSize) × \(configuration.cropSeconds) s crops"),
            ("speed", String(format: "%.2f s per step (this session)", secondsPerStep)),
            ("adversarial", configuration.adversarialFromStep.map { "from step \($0)" } ?? "off"),
        ]
        report.tables = [TrainingReport.Table(
            caption: "Held-out quality (weight average; mean over \(evaluation.count) clips of \(options.evaluationSeconds) s)",
            header: ["kbit/s", "codebooks", "mel distance ↓", "SI-SDR dB ↑", "MR-STFT ↓"],
            rows: zip(qualities, trainer.model.stageCounts).map { entry, stages in
                [String(format: "%g", entry.bandwidth), "\(stages)", String(format: "%.3f", entry.quality.melDistance),
                 String(format: "%.2f", entry.quality.siSDR), String(format: "%.3f", entry.quality.stftDistance)]
            })]
        for (name, audio) in evaluation.prefix(4) {
            var clips: [(label: String, samples: Tensor)] = [("input", audio)]
            trainer.average.swap()
            for (bandwidth, stages) in zip(model.targetBandwidths.sorted(), trainer.model.stageCounts) {
                clips.append((String(format: "%g kbit/s", bandwidth), trainer.reconstruct(audio, stageCount: stages)))
            }
            trainer.average.swap()
            try report.addAudioRow(caption: name, clips: clips, sampleRate: model.samplingRate)
        }
        try report.write(history: state.history)
    }
}

/// Why a codec run cannot start; each description is one line.
public enum CodecTrainingError: Error, CustomStringConvertible {
    case nothingToResume(String)
    case runExists(String)
    case corporaDiffer

    public var description: String {
        switch self {
        case let .nothingToResume(path): return "--resume: there is no checkpoint at \(path)"
        case let .runExists(path): return "\(path) already holds a run; pass --resume to continue it or choose another folder"
        case .corporaDiffer:
            return "the processes of this mpirun job see different training data (give every machine the same files, or one --cache on a shared disk)"
        }
    }
}
