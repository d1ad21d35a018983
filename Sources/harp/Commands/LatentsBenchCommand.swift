import ArgumentParser
import Foundation
import HarpLatent
import HarpTensor

/// `harp bench latents`: music2latent at the published size in Harp and in the package, same run.
struct LatentsBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latents",
        abstract: "Time music2latent encode and one-step decode in Harp and, if importable, in the music2latent package.",
        discussion: """
            Both sides build the published configuration with random weights (or load --model) and \
            encode then decode a --seconds long sine sweep at 44.1 kHz, whole: one warm-up, then the \
            median of --repeats runs. The reference runs `PYTHON tools/bench_latents.py` (torch + \
            music2latent; PYTHON from --python, $HARP_PYTHON or python3) in a child process right \
            after Harp; it is skipped, with a note, when it cannot run. Memory is each process's peak \
            RSS (ru_maxrss). Ratios are reference / Harp (above 1: Harp is faster or smaller).
            """)

    @Option(help: "Length of the signal in seconds.")
    var seconds = 10.0

    @Option(help: "Timed runs after the warm-up.")
    var repeats = 3

    @Option(help: ArgumentHelp("A music2latent folder instead of random weights (Harp's side).", valueName: "dir"))
    var model: String?

    @OptionGroup var options: ReferenceOptions

    func validate() throws {
        guard seconds >= 0.2 && seconds <= 600 else { throw ValidationError("--seconds must be in 0.2...600") }
        guard (1...50).contains(repeats) else { throw ValidationError("--repeats must be in 1...50") }
    }

    func run() throws {
        Parallel.threadCount = options.threads
        try ErrorReporting.reportingFailure(subject: "bench latents") {
            let harp = try LatentBenchmark.run(seconds: seconds, repeats: repeats, folder: model.map { URL(fileURLWithPath: $0) })
            let peak = Self.peakResidentBytes()
            var harpJSON = try JSONSerialization.jsonObject(with: JSONEncoder().encode(harp)) as! [String: Any]
            harpJSON["peak_rss_bytes"] = peak
            var report: [String: Any] = ["harp": harpJSON, "seconds_of_audio": seconds, "threads": options.threads]
            if options.noReference {
                report["music2latent"] = NSNull()
            } else {
                let arguments = ["--seconds", "\(seconds)", "--repeats", "\(repeats)", "--threads", "\(options.threads)"]
                switch ReferenceRunner.run(python: options.python, script: "tools/bench_latents.py", arguments: arguments) {
                case .success(let reference):
                    report["music2latent"] = reference
                    if let encode = reference["encode_seconds"] as? Double { report["ratio_encode_seconds"] = encode / harp.encodeSeconds }
                    if let decode = reference["decode_seconds"] as? Double { report["ratio_decode_seconds"] = decode / harp.decodeSeconds }
                    if let bytes = reference["peak_rss_bytes"] as? Double { report["ratio_peak_memory"] = bytes / Double(peak) }
                case .failure(let reason):
                    report["music2latent"] = NSNull()
                    report["music2latent_skipped"] = reason.description
                }
            }
            let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// This process's peak resident set in bytes (ru_maxrss: kilobytes on Linux, bytes on macOS).
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) * 1024
        #else
        getrusage(RUSAGE_SELF, &usage)
        return Int(usage.ru_maxrss)
        #endif
    }
}
