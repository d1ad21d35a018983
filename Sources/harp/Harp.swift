import ArgumentParser

/// The `harp` command: one subcommand per user task. It parses, prints and exits; the work
/// happens in the libraries.
@main
struct Harp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harp",
        abstract: "Neural sound in Swift: fit playable instruments, encode and generate audio.",
        version: "0.1.0",
        subcommands: [InfoCommand.self, ConvertCommand.self, FitCommand.self, RenderCommand.self, GenerateCommand.self,
                      ServeCommand.self, EncodeCommand.self, DecodeCommand.self, CodecCommand.self, DenoiseCommand.self,
                      TrainCommand.self, LatentsCommand.self, AsuraCommand.self,
                      BenchCommand.self]
    )
}
