import ArgumentParser

/// `harp bench …`: speed measurements that print JSON (benchmarks, never part of `swift test`).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Harp's speed, side by side with PyTorch when it is installed.",
        subcommands: [InstrumentBenchCommand.self, EngineBenchCommand.self, CodecBenchCommand.self,
                      GenerateBenchCommand.self, DenoiseBenchCommand.self, CodecTrainingBenchCommand.self,
                      LatentsBenchCommand.self, LatentTrainingBenchCommand.self, AsuraBenchCommand.self])
}
