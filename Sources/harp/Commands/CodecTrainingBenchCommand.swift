import ArgumentParser
import Foundation
import HarpBenchmarks
import HarpTensor

/// `harp bench codec-train`: a step of `harp train codec` in Harp and in PyTorch, on the same
/// weights and batch.
struct CodecTrainingBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec-train",
        abstract: "Time a codec training step (the default small codec, batch 8 × 1 s) in Harp and, if PyTorch is importable, in tools/codec/bench_codec_train.py.",
        discussion: """
            Both sides start from the same weights (written as an EnCodec folder) and train on the \
            same batch: reconstruction losses, and with --adversarial one STFT discriminator per \
            step as well. Prints one JSON object with the median seconds per step of each side and \
            the ratio PyTorch / Harp (above 1: Harp is faster).
            """)

    @Option(help: "Timed steps after one warm-up step, for each side.")
    var steps = 5

    @Flag(help: "Include the discriminator (one scale per step) and the adversarial losses.")
    var adversarial = false

    @OptionGroup var options: ReferenceOptions

    func validate() throws {
        guard (1...1000).contains(steps) else { throw ValidationError("--steps must be in 1...1000") }
    }

    func run() throws {
        Parallel.threadCount = options.threads
        Parallel.configureBLASOnce()
        try ErrorReporting.reportingFailure(subject: "codec training benchmark") {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("harp-bench-codec-train-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let folder = scratch.appendingPathComponent("codec"), batch = scratch.appendingPathComponent("batch.npy")
            let harp = try CodecTrainingBenchmark.run(folder: folder, batchFile: batch, steps: steps, adversarial: adversarial)
            var report: [String: Any] = ["threads": options.threads, "harp": try JSONReport.object(harp),
                                         "machine": try JSONReport.object(MachineDescription.current)]
            if !options.noReference {
                var arguments = ["--folder", folder.path, "--batch", batch.path, "--steps", String(steps),
                                 "--threads", String(options.threads)]
                if adversarial { arguments.append("--adversarial") }
                switch ReferenceRunner.run(python: options.python, script: "tools/codec/bench_codec_train.py", arguments: arguments) {
                case .success(let reference):
                    report["pytorch"] = reference
                    if let seconds = reference["step_seconds"] as? Double { report["ratio_step"] = seconds / harp.stepSeconds }
                case .failure(let reason):
                    report["pytorch"] = NSNull()
                    report["pytorch_skipped"] = reason.description
                }
            }
            let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
