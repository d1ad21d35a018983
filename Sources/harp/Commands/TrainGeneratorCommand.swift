import ArgumentParser
import Foundation
import HarpGenerate
import HarpText
import HarpTrain

/// `harp train generator DATA... -o DIR [--steps N] [--batch N] [--seconds S] [--resume] …`:
/// Harp's text-to-music generator over the bundled codec's tokens.
struct TrainGeneratorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generator",
        abstract: "Train the text-to-music generator (a MusicGen-style LM over harp-codec-24k tokens, MiniLM-conditioned).",
        discussion: """
            Every audio file under DATA (folders named eval are left out) is tokenized once by the \
            bundled codec at --bandwidth into the token cache (--cache, default DIR/tokens; \
            resumable: files already there are kept) and captioned from the corpus's MANIFEST.tsv \
            and file names (docs/generate.md). The captions are embedded once by all-MiniLM-L6-v2 \
            ($HARP_MINILM or ~/.cache/harp/all-MiniLM-L6-v2; `make minilm` fetches it).

            DIR gets checkpoint.safetensors every --checkpoint-every steps (--resume continues \
            exactly), model/ (a folder harp generate --model reads, or HARP_GENERATOR_MODEL) and \
            report/index.html (loss curves, samples for ten prompts with spectrograms) every \
            --report-every steps and at the end. Ctrl-C stops after the current step and writes both.
            """)

    @Argument(help: "Folders (or files) of training audio, e.g. corpus/music corpus/speech.")
    var data: [String]

    @Option(name: .shortAndLong, help: "The run's folder (checkpoint, model/, report/).")
    var output: String

    @Option(help: "Steps in all (a resumed run continues to this).")
    var steps = 20_000

    @Option(help: "Crops per step.")
    var batch = 8

    @Option(help: "Seconds per crop.")
    var seconds = 4.0

    @Option(help: "Decoder width.")
    var width = 256

    @Option(help: "Decoder layers.")
    var layers = 4

    @Option(help: "Attention heads.")
    var heads = 4

    @Option(help: "Codec bandwidth, kbit/s (1.5, 3 or 6: 2, 4 or 8 codebooks).")
    var bandwidth = 3.0

    @Option(name: .customLong("learning-rate"), help: "AdamW's peak step size.")
    var learningRate = 5e-4

    @Option(name: .customLong("condition-dropout"), help: "Probability of dropping the caption (for guidance).")
    var conditionDropout = 0.2

    @Option(name: .customLong("music-fraction"), help: "Share of crops taken from music (the rest: speech).")
    var musicFraction = 0.75

    @Option(help: "Seed of the initial weights and the batches.")
    var seed: UInt64 = 0

    @Option(name: .customLong("checkpoint-every"), help: "Steps between checkpoints.")
    var checkpointEvery = 500

    @Option(name: .customLong("report-every"), help: "Steps between reports.")
    var reportEvery = 2000

    @Option(name: .customLong("sample-seconds"), help: "Seconds generated for each report prompt.")
    var sampleSeconds = 4.0

    @Option(help: ArgumentHelp("The token cache folder (default DIR/tokens).", valueName: "dir"))
    var cache: String?

    @Flag(name: .customLong("tokenize-only"), help: "Build the token cache and stop.")
    var tokenizeOnly = false

    @Flag(help: "Continue the run in DIR from its checkpoint (the settings must be the same).")
    var resume = false

    func validate() throws {
        guard steps >= 1, batch >= 1, seconds > 0, width >= 2, layers >= 1, heads >= 1, checkpointEvery >= 1,
              reportEvery >= 1, learningRate > 0, sampleSeconds > 0 else {
            throw ValidationError("--steps, --batch, --seconds, --width, --layers, --heads, --learning-rate, --sample-seconds, --checkpoint-every and --report-every must be positive")
        }
        guard [1.5, 3.0, 6.0].contains(bandwidth) else { throw ValidationError("--bandwidth must be 1.5, 3 or 6") }
        if let problem = trainingConfiguration().problem() { throw ValidationError(problem) }
    }

    func trainingConfiguration() -> GeneratorTrainingConfiguration {
        var c = GeneratorTrainingConfiguration()
        c.model.hiddenSize = width
        c.model.layerCount = layers
        c.model.headCount = heads
        c.model.feedForwardDimension = 4 * width
        c.model.codebookCount = Int((bandwidth / 0.75).rounded())
        // The installed MiniLM's width (384 for all-MiniLM-L6-v2).
        c.model.textWidth = MiniLMLocation.hiddenSize() ?? 384
        c.bandwidth = bandwidth
        c.totalSteps = steps
        c.batchSize = batch
        c.cropFrames = Int((seconds * 75).rounded())
        c.learningRate = learningRate
        c.conditionDropout = conditionDropout
        c.musicFraction = musicFraction
        c.seed = seed
        return c
    }

    func run() throws {
        InterruptFlag.install()
        try ErrorReporting.reportingFailure(subject: output) {
            var options = GeneratorTrainingRun.Options(dataPaths: data, outputFolder: URL(fileURLWithPath: output))
            options.cacheFolder = cache.map { URL(fileURLWithPath: $0) }
            options.resume = resume
            options.checkpointInterval = checkpointEvery
            options.reportInterval = reportEvery
            options.sampleSeconds = sampleSeconds
            options.tokenizeOnly = tokenizeOnly
            var display = GeneratorTrainingDisplay(totalSteps: steps)
            let run = GeneratorTrainingRun(configuration: trainingConfiguration(), options: options,
                                           events: { display.show($0) }, isInterrupted: { InterruptFlag.isRaised })
            let reason = try run.run()
            display.finish()
            if tokenizeOnly {
                print("token cache: \(run.cacheFolder.path)")
                return
            }
            let stopped = reason == .interrupted ? "interrupted; checkpoint written" : "finished"
            print("\(stopped). model: \(run.modelFolder.path)  report: \(run.reportFolder.appendingPathComponent("index.html").path)")
        }
    }
}

/// Shows a generator run's events: tokenizing, embedding and training progress bars.
struct GeneratorTrainingDisplay {
    private var bar: ProgressBar
    private var tokenBar = ProgressBar(total: 1, label: "tokenize")
    private var captionBar = ProgressBar(total: 1, label: "captions")

    init(totalSteps: Int) { bar = ProgressBar(total: totalSteps, label: "train") }

    mutating func show(_ event: GeneratorTrainingRun.Event) {
        switch event {
        case let .message(text):
            FileHandle.standardError.write(Data((text + "\n").utf8))
        case let .tokenizing(done, total, frames):
            if done == 1 { tokenBar = ProgressBar(total: total, label: "tokenize") }
            tokenBar.update(completed: done, figures: ["audio min": Double(frames) / 75 / 60])
            if done == total { tokenBar.finish() }
        case let .embedding(done, total):
            if done <= 64 { captionBar = ProgressBar(total: total, label: "captions") }
            captionBar.update(completed: done)
            if done == total { captionBar.finish() }
        case let .step(step, _, result):
            bar.update(completed: step, figures: ["loss": Double(result.losses["cross-entropy"] ?? .nan)])
        }
    }

    func finish() { bar.finish() }
}
