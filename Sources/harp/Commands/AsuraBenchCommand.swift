import ArgumentParser
import Foundation
import HarpAsura

/// `harp bench asura`: streaming generation speed of the small and the published configuration.
struct AsuraBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asura",
        abstract: "Time Asura's streaming generator (real-time factor on 1 and 2 threads, control latency).",
        discussion: """
            Both configurations get random weights: the small CPU config (AsuraConfiguration.small(), \
            what harp train asura uses without --config) and the published configs/asura/asura.json \
            (--published FILE; the test fixture copy by default). The generator is primed with a \
            full predictor window so each block costs its steady-state time; blocks are one frame \
            hop. control_latency_ms is, inside the generator, one block period plus the worst \
            block's compute (a knob change waits at most for the next block). Prints JSON.
            """)

    @Option(help: "Seconds of audio generated for the small configuration.")
    var seconds = 5.0

    @Option(name: .customLong("published-seconds"), help: "Seconds of audio for the published configuration (0 skips it).")
    var publishedSeconds = 1.0

    @Option(help: ArgumentHelp("The published config file.", valueName: "file"))
    var published = "Tests/HarpAsuraTests/Fixtures/asura_published.json"

    @Option(help: "Flow steps per frame.")
    var steps = 1

    @Option(help: "Thread counts to time, comma-separated.")
    var threads = "1,2"

    func run() throws {
        try ErrorReporting.reportingFailure(subject: "bench asura") {
            let counts = threads.split(separator: ",").compactMap { Int($0) }
            guard !counts.isEmpty, counts.allSatisfy({ (1...64).contains($0) }) else {
                throw ErrorReporting.Failure("--threads must be a list like 1,2 (got \(threads))")
            }
            guard seconds > 0, seconds <= 600, publishedSeconds >= 0, (1...64).contains(steps) else {
                throw ErrorReporting.Failure("--seconds must be in (0, 600], --published-seconds ≥ 0, --steps in 1...64")
            }
            var results = [AsuraBenchmark.run(name: "small", config: AsuraConfiguration.small().model, seconds: seconds,
                                              steps: steps, threads: counts)]
            if publishedSeconds > 0 {
                let config = try ErrorReporting.blaming(published) { try AsuraConfiguration(contentsOf: URL(fileURLWithPath: published)) }
                results.append(AsuraBenchmark.run(name: "published", config: config.model, seconds: publishedSeconds,
                                                  steps: steps, threads: counts))
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(["configurations": results]), as: UTF8.self))
        }
    }
}
