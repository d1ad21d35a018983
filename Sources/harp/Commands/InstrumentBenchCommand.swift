import ArgumentParser
import Foundation
import HarpInstrument
import HarpTensor

/// `harp bench instrument`: the seed-001 fit in Harp and in the PyTorch re-creation, same clip,
/// same seed, same thread count, one after the other in this run.
struct InstrumentBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instrument",
        abstract: "Time the instrument fit in Harp and, if PyTorch is importable, in tools/seed001/bench.py.",
        discussion: """
            Both sides run one warm-up step, then --iterations timed steps (forward, loss, backward, \
            Adam) at the seed's default configuration, then report the loss of one more forward \
            pass and their peak resident memory. The reference is run as `PYTHON \
            tools/seed001/bench.py` from the current folder, with PYTHON from --python, \
            $HARP_PYTHON or `python3`; it is skipped (with a note in the JSON) when torch cannot \
            be imported. Prints one JSON object; ratios are PyTorch / Harp (above 1: Harp is faster).
            """)

    @Option(help: "The clip both sides fit.")
    var clip = "Resources/perc_bell.flac"

    @Option(help: "Timed steps after one warm-up step, for each side.")
    var iterations = 5

    @Option(help: "Seed of both fits.")
    var seed: UInt64 = 0

    @OptionGroup var options: ReferenceOptions

    @Option(help: ArgumentHelp("FFT plans for Harp, as in `harp fit` (the warm-up step measures them if needed).",
                               valueName: "measure|estimate"))
    var fftPlanning = FFTPlanning.measure

    func validate() throws {
        guard (1...100_000).contains(iterations) else { throw ValidationError("--iterations must be in 1...100000") }
    }

    func run() throws {
        Parallel.threadCount = options.threads
        fftPlanning.activate()
        try ErrorReporting.reportingFailure(subject: clip) {
            // The reference starts from Harp's initial parameters, fits Harp's target samples and
            // draws Harp's attack noise, so the two losses differ only by float rounding.
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("harp-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let initialState = scratch.appendingPathComponent("initial.safetensors")
            let targetFile = scratch.appendingPathComponent("target.npy")
            let harp = try InstrumentBenchmark.run(clip: clip, offsetSeconds: 0, seed: seed, iterations: iterations,
                                                   initialState: initialState, targetFile: targetFile)
            fftPlanning.saveWisdom()
            var report: [String: Any] = ["harp": try jsonObject(harp), "clip": clip, "iterations": iterations,
                                         "threads": options.threads, "fft_planning": fftPlanning.rawValue]
            if options.noReference {
                report["pytorch"] = NSNull()
            } else {
                switch ReferenceRunner.run(python: options.python, script: "tools/seed001/bench.py",
                                           arguments: ["--clip", clip, "--iterations", String(iterations),
                                                       "--seed", String(seed), "--threads", String(options.threads),
                                                       "--init", initialState.path, "--target", targetFile.path,
                                                       "--harp-noise", String(harp.noiseSeed)]) {
                case .success(let reference):
                    report["pytorch"] = reference
                    if let seconds = reference["seconds_per_iteration"] as? Double, harp.secondsPerIteration > 0 {
                        report["ratio_seconds_per_iteration"] = seconds / harp.secondsPerIteration
                    }
                    if let bytes = reference["peak_rss_bytes"] as? Double {
                        report["ratio_peak_memory"] = bytes / Double(harp.peakRSSBytes)
                    }
                    if let loss = reference["loss_after"] as? Double {
                        report["loss_after_harp_minus_pytorch"] = Double(harp.lossAfter) - loss
                    }
                    if let losses = reference["step_losses"] as? [Double], losses.count == harp.stepLosses.count {
                        report["step_loss_largest_relative_difference"] = zip(harp.stepLosses, losses)
                            .map { abs(Double($0) - $1) / abs($1) }.max()
                    }
                case .failure(let reason):
                    report["pytorch"] = NSNull()
                    report["pytorch_skipped"] = reason.description
                }
            }
            let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    func jsonObject<T: Encodable>(_ value: T) throws -> Any {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(value))
    }
}
