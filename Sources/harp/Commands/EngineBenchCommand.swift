import ArgumentParser
import Foundation
import HarpBenchmarks
import HarpTensor

/// `harp bench engine`: the tensor engine's primitives in Harp and in PyTorch, same cases, same
/// shapes, same thread count, one after the other in this run.
struct EngineBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Time the engine's primitives (matmul, conv1d, element-wise, softmax, LayerNorm, FFT, STFT, Adam, per-op overhead).",
        discussion: """
            Every case runs once untimed, then n timed runs, and reports the median seconds per \
            operation; n adapts to about 0.75 s per case unless --repeats is given. matmul and FFT \
            are also timed as raw cblas_sgemm / FFTW calls. The reference is run as `PYTHON \
            tools/bench_engine.py` from the current folder, with PYTHON from --python, $HARP_PYTHON \
            or `python3`, after Harp's cases; it is skipped (with a note in the JSON) when torch \
            cannot be imported. Prints one JSON object; ratios are PyTorch / Harp (above 1: Harp \
            is faster). Build with -c release.
            """)

    @Option(help: "Timed runs per case (default: adaptive, about 0.75 s per case).")
    var repeats: Int?

    @Option(help: "Run only the cases whose name contains this string.")
    var filter: String?

    @OptionGroup var options: ReferenceOptions

    func validate() throws {
        if let repeats { guard (1...10_000).contains(repeats) else { throw ValidationError("--repeats must be in 1...10000") } }
        if let filter, !EngineBenchmark.allCases.contains(where: { $0.name.contains(filter) }) {
            throw ValidationError("no case name contains '\(filter)'")
        }
    }

    func run() throws {
        Parallel.threadCount = options.threads
        var report = EngineBenchmark.run(matching: filter, timer: BenchmarkTimer(repeats: repeats)) { result in
            FileHandle.standardError.write(Data("harp  \(result.name): \(String(format: "%.4g", result.harpSeconds)) s\n".utf8))
        }
        if options.noReference {
            report.pytorchSkipped = "--no-reference"
        } else {
            var arguments = ["--threads", String(options.threads)]
            if let repeats { arguments += ["--repeats", String(repeats)] }
            if let filter { arguments += ["--filter", filter] }
            switch ReferenceRunner.run(python: options.python, script: "tools/bench_engine.py", arguments: arguments) {
            case .success(let object):
                do {
                    let data = try JSONSerialization.data(withJSONObject: object)
                    report.attachReference(try EngineBenchmarkReference(json: data))
                } catch {
                    report.pytorchSkipped = "reference JSON not understood: \(error)"
                }
            case .failure(let reason):
                report.pytorchSkipped = reason.description
            }
        }
        print(try report.json())
    }
}
