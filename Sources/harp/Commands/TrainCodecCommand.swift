import ArgumentParser
import Foundation
import HarpCodec
import HarpTrain

/// `harp train codec DATA... -o DIR [--steps N] [--batch N] [--seconds S] [--sample-rate HZ]
/// [--bitrates LIST] [--resume]`.
struct TrainCodecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec",
        abstract: "Train a SoundStream/EnCodec-style codec (seed 003) on folders of audio.",
        discussion: """
            Every file libsndfile reads under DATA is resampled to --sample-rate, mixed to mono and \
            cached once (16-bit) in DIR/cache; 5 % of the files (by a hash of their path) are held \
            out for evaluation. Each step trains on --batch random crops of --seconds, through a \
            random one of the --bitrates (quantiser dropout), with the multi-scale mel and \
            waveform losses and, from --adversarial-from, multi-scale STFT discriminators.

            DIR gets checkpoint.safetensors every --checkpoint-every steps (atomic: a crash or \
            kill -9 loses at most that many steps; --resume continues exactly), model/ (an \
            EnCodec folder: harp encode --model DIR/model) and report/index.html (held-out audio \
            at each bitrate, spectrograms, metrics, loss curves) every --report-every steps and \
            at the end. Ctrl-C stops after the current step and writes both.

            Data-parallel: `mpirun -np N harp train codec …` (Open MPI, Debian's openmpi-bin)             runs N processes, each on --batch crops of every step; gradients and codebook             statistics are averaged across them, so the run follows one process with batch             N·--batch. Only rank 0 prints and writes.
            """)

    @Argument(help: "Folders (or files) of training audio.")
    var data: [String]

    @Option(name: .shortAndLong, help: "The run's folder (checkpoint, model/, report/).")
    var output: String

    @Option(help: "Steps in all (a resumed run continues to this).")
    var steps = 20_000

    @Option(help: "Crops per step.")
    var batch = 8

    @Option(help: "Seconds per crop.")
    var seconds = 1.0

    @Option(name: .customLong("sample-rate"), help: "The codec's sample rate.")
    var sampleRate = 24_000

    @Option(help: ArgumentHelp("The bitrates one model serves, kbit/s, comma-separated.", valueName: "list"))
    var bitrates = "1.5,3,6"

    @Option(help: "Filters of the first SEANet layer (doubling at each downsampling).")
    var filters = 16

    @Option(name: .customLong("lstm-layers"), help: "LSTM layers at the bottleneck (1–4).")
    var lstmLayers = 1

    @Option(name: .customLong("codebook-size"), help: "Entries per codebook (a power of 2).")
    var codebookSize = 1024

    @Option(name: .customLong("adversarial-from"), help: "Step at which the discriminators join (default: never).")
    var adversarialFrom: Int?

    @Option(name: .customLong("learning-rate"), help: "Adam's step size.")
    var learningRate = 3e-4

    @Option(help: "Seed of the initial weights, the crops and the bitrate draws.")
    var seed: UInt64 = 0

    @Option(name: .customLong("checkpoint-every"), help: "Steps between checkpoints.")
    var checkpointEvery = 200

    @Option(name: .customLong("report-every"), help: "Steps between reports.")
    var reportEvery = 1000

    @Option(help: ArgumentHelp("The corpus cache folder (default DIR/cache).", valueName: "dir"))
    var cache: String?

    @Flag(help: "Continue the run in DIR from its checkpoint (the settings must be the same).")
    var resume = false

    func validate() throws {
        guard steps >= 1, batch >= 1, seconds > 0, sampleRate >= 8000, filters >= 1, checkpointEvery >= 1,
              reportEvery >= 1, (1...4).contains(lstmLayers), learningRate > 0 else {
            throw ValidationError("--steps, --batch, --seconds, --filters, --checkpoint-every and --report-every must be positive, --sample-rate at least 8000, --lstm-layers 1–4")
        }
        guard codebookSize >= 2, codebookSize & (codebookSize - 1) == 0 else {
            throw ValidationError("--codebook-size must be a power of 2")
        }
        _ = try parsedBitrates()
    }

    func parsedBitrates() throws -> [Double] {
        let values = bitrates.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--bitrates must be positive numbers separated by commas, e.g. 1.5,3,6")
        }
        return values.map { $0! }.sorted()
    }

    func trainingConfiguration() throws -> CodecTrainingConfiguration {
        var configuration = CodecTrainingConfiguration.small()
        configuration.model.samplingRate = sampleRate
        configuration.model.targetBandwidths = try parsedBitrates()
        configuration.model.numFilters = filters
        configuration.model.numLSTMLayers = lstmLayers
        configuration.model.codebookSize = codebookSize
        configuration.totalSteps = steps
        configuration.batchSize = batch
        configuration.cropSeconds = seconds
        configuration.adversarialFromStep = adversarialFrom
        configuration.learningRate = learningRate
        configuration.seed = seed
        return configuration
    }

    func run() throws {
        InterruptFlag.install()
        try ErrorReporting.reportingFailure(subject: output) {
            var options = CodecTrainingRun.Options(dataPaths: data, outputFolder: URL(fileURLWithPath: output))
            options.cacheFolder = cache.map { URL(fileURLWithPath: $0) }
            options.resume = resume
            options.checkpointInterval = checkpointEvery
            options.reportInterval = reportEvery
            let group = try OpenMPIProcessGroup.fromEnvironment()
            defer { group?.finish() }
            options.processGroup = group
            let speaks = (group?.rank ?? 0) == 0
            var display = TrainingDisplay(totalSteps: steps)
            let run = CodecTrainingRun(configuration: try trainingConfiguration(), options: options,
                                       events: { if speaks { display.show($0) } }, isInterrupted: { InterruptFlag.isRaised })
            let reason = try run.run()
            guard speaks else { return }
            display.finish()
            let stopped = reason == .interrupted ? "interrupted; checkpoint written" : "finished"
            print("\(stopped). model: \(run.modelFolder.path)  report: \(run.reportFolder.appendingPathComponent("index.html").path)")
        }
    }
}

/// Shows a codec run's events: a progress bar over steps with the main losses, the corpus build,
/// warnings and the held-out metrics when they are measured.
struct TrainingDisplay {
    private var bar: ProgressBar
    private var corpusBar = ProgressBar(total: 1, label: "corpus")

    init(totalSteps: Int) { bar = ProgressBar(total: totalSteps, label: "train") }

    mutating func show(_ event: CodecTrainingRun.Event) {
        switch event {
        case let .message(text):
            FileHandle.standardError.write(Data((text + "\n").utf8))
        case let .corpusProgress(done, total):
            if done == 1 { corpusBar = ProgressBar(total: total, label: "corpus") }
            corpusBar.update(completed: done)
            if done == total { corpusBar.finish() }
        case let .step(step, _, result):
            var figures: KeyValuePairs<String, Double> = ["mel": Double(result.losses["mel"] ?? .nan)]
            if let adversarial = result.losses["adversarial"] {
                figures = ["mel": Double(result.losses["mel"] ?? .nan), "adv": Double(adversarial)]
            }
            bar.update(completed: step, figures: figures)
        case let .evaluated(step, qualities):
            let line = qualities.map { String(format: "%g kbit/s mel %.3f SI-SDR %.2f dB", $0.bandwidth, $0.quality.melDistance, $0.quality.siSDR) }
            FileHandle.standardError.write(Data(("\nstep \(step) held out: " + line.joined(separator: "; ") + "\n").utf8))
        }
    }

    func finish() { bar.finish() }
}
