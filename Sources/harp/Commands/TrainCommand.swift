import ArgumentParser

/// `harp train MODEL …`: train a model on folders of audio, resumably.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on folders of audio (resumable).",
        subcommands: [TrainAsuraCommand.self])
}
