import ArgumentParser
import Foundation
import HarpLatent
import HarpTrain

/// `harp train latent DATA... -o DIR [--steps N] [--batch N] [--config FILE] [--resume]`.
struct TrainLatentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latent",
        abstract: "Train a Music2Latent consistency autoencoder (seed 002) on folders of audio.",
        discussion: """
            Consistency training as the paper describes it: each step takes --batch random crops \
            of 64 STFT frames, noises their compressed spectrograms at two neighbouring levels of \
            iCT's σ schedule (σ from 0.002 to 80; the step Δt shrinks from 0.1 to 0.001 over the \
            run) and pulls the model's one-step estimate at the higher level towards its \
            stop-gradient estimate at the lower one (pseudo-Huber, weighted 1/Δσ), encoder, \
            decoder and UNet together. Without --config the model is the default one (22.05 kHz, \
            hop 256, 16 base channels; latents 64 × 10.8 Hz); FILE holds any of the training keys \
            (batch_size, total_steps, learning_rate, …) and a "model" object of config.json keys.

            Audio under DATA is resampled to the model's rate, mixed to mono and cached once \
            (16-bit) in DIR/cache; 5 % of the files are held out. DIR gets checkpoint.safetensors \
            every --checkpoint-every steps (atomic; --resume continues exactly), model/ (a folder \
            harp latents encode/decode --model reads) and report/index.html (held-out input beside \
            its one-step reconstruction, spectrograms, mel distance, SI-SDR, loss curves) every \
            --report-every steps and at the end. Ctrl-C stops after the current step and writes both.
            """)

    @Argument(help: "Folders (or files) of training audio.")
    var data: [String]

    @Option(name: .shortAndLong, help: "The run's folder (checkpoint, model/, report/).")
    var output: String

    @Option(help: ArgumentHelp("Training settings (JSON; see the discussion).", valueName: "file"))
    var config: String?

    @Option(help: "Steps in all, which shape the Δt and learning-rate schedules (the same when resuming; default 10000 or the config's).")
    var steps: Int?

    @Option(help: "Crops per step (default 4 or the config's).")
    var batch: Int?

    @Option(name: .customLong("learning-rate"), help: "Adam's peak step size (default 1e-4 or the config's).")
    var learningRate: Double?

    @Option(help: "Seed of the initial weights, the crops and the noise.")
    var seed: UInt64?

    @Option(name: .customLong("checkpoint-every"), help: "Steps between checkpoints.")
    var checkpointEvery = 200

    @Option(name: .customLong("report-every"), help: "Steps between reports.")
    var reportEvery = 1000

    @Option(help: ArgumentHelp("The corpus cache folder (default DIR/cache).", valueName: "dir"))
    var cache: String?

    @Flag(help: "Continue the run in DIR from its checkpoint (the settings must be the same).")
    var resume = false

    func validate() throws {
        guard (steps ?? 1) >= 1, (batch ?? 1) >= 1, (learningRate ?? 1) > 0, checkpointEvery >= 1, reportEvery >= 1 else {
            throw ValidationError("--steps, --batch, --learning-rate, --checkpoint-every and --report-every must be positive")
        }
    }

    func trainingConfiguration() throws -> LatentTrainingConfiguration {
        var configuration = LatentTrainingConfiguration.small()
        if let config {
            configuration = try ErrorReporting.blaming(config) {
                try LatentTrainingConfiguration(contentsOf: URL(fileURLWithPath: config), base: configuration)
            }
        }
        if let steps { configuration.totalSteps = steps }
        if let batch { configuration.batchSize = batch }
        if let learningRate { configuration.learningRate = learningRate }
        if let seed { configuration.seed = seed }
        return configuration
    }

    func run() throws {
        InterruptFlag.install()
        try ErrorReporting.reportingFailure(subject: output) {
            let configuration = try trainingConfiguration()
            var options = LatentTrainingRun.Options(dataPaths: data, outputFolder: URL(fileURLWithPath: output))
            options.cacheFolder = cache.map { URL(fileURLWithPath: $0) }
            options.resume = resume
            options.checkpointInterval = checkpointEvery
            options.reportInterval = reportEvery
            var bar = ProgressBar(total: configuration.totalSteps, label: "train")
            var corpusBar = ProgressBar(total: 1, label: "corpus")
            let run = LatentTrainingRun(configuration: configuration, options: options, events: { event in
                switch event {
                case let .message(text):
                    FileHandle.standardError.write(Data((text + "\n").utf8))
                case let .corpusProgress(done, total):
                    if done == 1 { corpusBar = ProgressBar(total: total, label: "corpus") }
                    corpusBar.update(completed: done)
                    if done == total { corpusBar.finish() }
                case let .step(step, _, result):
                    bar.update(completed: step, figures: ["loss": Double(result.losses["consistency"] ?? .nan),
                                                          "Δt": Double(result.losses["Δt"] ?? .nan)])
                case let .evaluated(step, quality):
                    FileHandle.standardError.write(Data(String(format: "\nstep %d held out: mel %.3f SI-SDR %.2f dB\n",
                                                               step, quality.melDistance, quality.siSDR).utf8))
                }
            }, isInterrupted: { InterruptFlag.isRaised })
            let reason = try run.run()
            bar.finish()
            let stopped = reason == .interrupted ? "interrupted; checkpoint written" : "finished"
            print("\(stopped). model: \(run.modelFolder.path)  report: \(run.reportFolder.appendingPathComponent("index.html").path)")
        }
    }
}
