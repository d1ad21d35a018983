import ArgumentParser
import Foundation
import HarpBenchmarks
import HarpLatent
import HarpTensor

/// `harp bench latent-train`: a step of `harp train latent` in Harp and in PyTorch, on the same
/// weights and batch.
struct LatentTrainingBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latent-train",
        abstract: "Time a consistency-training step of the default latent model in Harp and, if importable, in tools/latent/bench_latent_train.py.",
        discussion: """
            Both sides start from the same weights (written as a model folder) and train on the same \
            batch (the default batch of 4 crops of 64 STFT frames): encoder, pyramid decoder, \
            student and stop-gradient teacher passes, the pseudo-Huber loss, backward and an Adam \
            step. The reference is the music2latent package's modules (PYTHON from --python, \
            $HARP_PYTHON or python3, with torch, safetensors and music2latent). Prints one JSON \
            object with the median seconds per step of each side and the ratio PyTorch / Harp \
            (above 1: Harp is faster).
            """)

    @Option(help: "Timed steps after one warm-up step, for each side.")
    var steps = 5

    @Option(help: "Crops per step.")
    var batch = 4

    @OptionGroup var options: ReferenceOptions

    func validate() throws {
        guard (1...1000).contains(steps), (1...64).contains(batch) else {
            throw ValidationError("--steps must be in 1...1000 and --batch in 1...64")
        }
    }

    func run() throws {
        Parallel.threadCount = options.threads
        Parallel.configureBLASOnce()
        try ErrorReporting.reportingFailure(subject: "latent training benchmark") {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("harp-bench-latent-train-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let folder = scratch.appendingPathComponent("model"), batchFile = scratch.appendingPathComponent("batch.npy")
            var configuration = LatentTrainingConfiguration.small()
            configuration.batchSize = batch
            let harp = try LatentTrainingBenchmark.run(configuration: configuration, folder: folder, batchFile: batchFile, steps: steps)
            var report: [String: Any] = ["threads": options.threads, "harp": try JSONReport.object(harp),
                                         "machine": try JSONReport.object(MachineDescription.current)]
            if !options.noReference {
                let arguments = ["--folder", folder.path, "--batch", batchFile.path, "--steps", String(steps),
                                 "--threads", String(options.threads)]
                switch ReferenceRunner.run(python: options.python, script: "tools/latent/bench_latent_train.py", arguments: arguments) {
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
