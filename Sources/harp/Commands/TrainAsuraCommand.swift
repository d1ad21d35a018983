import ArgumentParser
import Foundation
import HarpAsura
import HarpTrain

/// `harp train asura DATA... -o DIR [--config FILE] [--steps N] [--resume]`.
struct TrainAsuraCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asura",
        abstract: "Train an Asura's Harp latent flow autoencoder (seed 000) on folders of audio.",
        discussion: """
            FILE is a config shaped like the reference's configs/asura/asura.json (unknown or \
            missing keys are refused, by name); without it a small CPU-sized config is used. Audio \
            under DATA is resampled to 44.1 kHz with the config's d_signal channels and cached in \
            DIR/cache; each step trains on batch_size crops of one example's length. DIR gets \
            checkpoint.safetensors and model.safetensors every --checkpoint-every steps and at the \
            end; --resume continues exactly (with the same config). Ctrl-C stops after the \
            current step and writes both.
            """)

    @Argument(help: "Folders (or files) of training audio.")
    var data: [String]

    @Option(name: .shortAndLong, help: "The run's folder (checkpoint, model, cache).")
    var output: String

    @Option(help: ArgumentHelp("A config file like configs/asura/asura.json.", valueName: "file"))
    var config: String?

    @Option(help: "Steps in all (a resumed run continues to this).")
    var steps = 10_000

    @Option(help: "Seed of the initial weights, the crops and the noise.")
    var seed: UInt64 = 0

    @Option(name: .customLong("checkpoint-every"), help: "Steps between checkpoints.")
    var checkpointEvery = 200

    @Flag(help: "Continue the run in DIR from its checkpoint (the settings must be the same).")
    var resume = false

    func validate() throws {
        guard steps >= 1, checkpointEvery >= 1 else {
            throw ValidationError("--steps and --checkpoint-every must be positive")
        }
    }

    func run() throws {
        InterruptFlag.install()
        try ErrorReporting.reportingFailure(subject: config ?? output) {
            let text: String
            if let config {
                let url = URL(fileURLWithPath: config)
                _ = try AsuraConfiguration(contentsOf: url)
                text = try String(contentsOf: url, encoding: .utf8)
            } else {
                text = AsuraConfiguration.smallJSON
            }
            let configuration = try AsuraConfiguration(jsonData: Data(text.utf8))
            var options = AsuraTrainingRun.Options(dataPaths: data, outputFolder: URL(fileURLWithPath: output), steps: steps)
            options.seed = seed
            options.checkpointInterval = checkpointEvery
            options.resume = resume
            let run = AsuraTrainingRun(configuration: configuration, configurationText: text, options: options)
            var bar = ProgressBar(total: steps, label: "train")
            let reason = try run.run(events: { event in
                switch event {
                case let .step(step, losses):
                    bar.update(completed: step, figures: ["loss": Double(losses["loss_all"] ?? .nan)])
                case let .message(text):
                    FileHandle.standardError.write(Data((text + "\n").utf8))
                case .corpusProgress:
                    break
                }
            }, isInterrupted: { InterruptFlag.isRaised })
            bar.finish()
            let stopped = reason == .interrupted ? "interrupted; checkpoint written" : "finished"
            print("\(stopped). model: \(run.modelURL.path)  checkpoint: \(run.checkpointURL.path)")
        }
    }
}
