import ArgumentParser
import Foundation
import HarpGenerate
import HarpTensor
#if canImport(Glibc)
import Glibc
#endif

/// `harp bench generate`: MusicGen decoder steps per second, without and with classifier-free
/// guidance, in Harp and in PyTorch `transformers` on the same model folder, one after the other.
struct GenerateBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Time MusicGen generation (decoder steps per second, with and without guidance) beside PyTorch.",
        discussion: """
            --model is a MusicGen folder; the full-size musicgen-small architecture with random \
            weights is made by `PYTHON tools/bench_generate.py --make-folder DIR` (2.3 GB). Each case \
            (guidance 1 and 3, sampling with top-k 250) runs once untimed, then --repeats timed runs of \
            --steps decoder steps (T5 included, audio decoding not); the median is reported. Then \
            `PYTHON tools/bench_generate.py --model DIR` times transformers the same way. Prints one \
            JSON object; speedups are Harp / PyTorch steps per second. Peak RSS is this process's \
            (the model loaded, all runs). Build with -c release.
            """)

    @Option(help: ArgumentHelp("The MusicGen folder to time.", valueName: "dir"))
    var model: String

    @Option(help: "Decoder steps per run.")
    var steps = 32

    @Option(help: "Timed runs per case.")
    var repeats = 3

    @OptionGroup var options: ReferenceOptions

    func validate() throws {
        guard (8...1500).contains(steps) else { throw ValidationError("--steps must be in 8...1500") }
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be in 1...100") }
    }

    func run() throws {
        Parallel.threadCount = options.threads
        try ErrorReporting.reportingFailure(subject: model) {
            let loadStart = Date()
            let musicgen = try MusicgenModel.load(folder: URL(fileURLWithPath: model))
            var report: [String: Any] = ["steps": steps, "threads": options.threads,
                                         "load_seconds": Date().timeIntervalSince(loadStart)]
            let ids = IntTensor(shape: [1, 12], scalars: (0..<12).map { Int32(2 + ($0 * 2654435761) % 30000) })
            let mask = IntTensor(repeating: 1, shape: [1, 12])
            var harp: [String: Any] = [:]
            for (tag, guidance) in [("no_cfg", Float(1)), ("cfg3", Float(3))] {
                var times: [Double] = []
                for run in 0...repeats {
                    let start = Date()
                    _ = try musicgen.generate(ids: ids, mask: mask, options: GenerationOptions(
                        steps: steps, guidanceScale: guidance, sampling: SamplingOptions(topK: 250, seed: UInt64(run))))
                    if run > 0 { times.append(Date().timeIntervalSince(start)) }
                }
                let median = times.sorted()[times.count / 2]
                harp[tag] = ["seconds_median": median, "steps_per_second": Double(steps) / median]
                FileHandle.standardError.write(Data("harp \(tag): \(String(format: "%.2f", Double(steps) / median)) steps/s\n".utf8))
            }
            harp["peak_rss_bytes"] = Self.peakResidentBytes()
            report["harp"] = harp
            if options.noReference {
                report["pytorch_skipped"] = "--no-reference"
            } else {
                let arguments = ["--model", model, "--steps", String(steps), "--threads", String(options.threads),
                                 "--repeats", String(repeats)]
                switch ReferenceRunner.run(python: options.python, script: "tools/bench_generate.py", arguments: arguments) {
                case .success(let reference):
                    report["pytorch"] = reference
                    report["speedup"] = Self.speedups(harp: harp, reference: reference)
                    if let theirs = reference["peak_rss_bytes"] as? Double, theirs > 0 {
                        report["memory_ratio_harp_over_pytorch"] = Double(Self.peakResidentBytes()) / theirs
                    }
                case .failure(let reason):
                    report["pytorch_skipped"] = reason.description
                }
            }
            let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    static func speedups(harp: [String: Any], reference: [String: Any]) -> [String: Double] {
        var result: [String: Double] = [:]
        for tag in ["no_cfg", "cfg3"] {
            if let ours = (harp[tag] as? [String: Any])?["steps_per_second"] as? Double,
               let theirs = (reference[tag] as? [String: Any])?["steps_per_second"] as? Double, theirs > 0 {
                result[tag] = ours / theirs
            }
        }
        return result
    }

    /// The process's peak resident memory so far: `VmHWM` from `/proc/self/status`, else
    /// `ru_maxrss` (kilobytes on Linux).
    static func peakResidentBytes() -> Int {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kilobytes = Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") {
            return kilobytes * 1024
        }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) * 1024
    }
}
