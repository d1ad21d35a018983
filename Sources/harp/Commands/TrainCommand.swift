import ArgumentParser

/// `harp train MODEL …`: train a model on folders of audio, resumably, with a report.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on folders of audio (resumable; writes a report page).",
        subcommands: [TrainCodecCommand.self, TrainAsuraCommand.self, TrainLatentCommand.self, TrainGeneratorCommand.self])
}
