import ArgumentParser
import Foundation
import HarpCodec
import HarpTensor

/// `harp bench codec`: EnCodec and DAC at their published sizes (random weights), encode and
/// decode of the same audio in Harp and in PyTorch `transformers`, each model on each side in its
/// own process so peak memory is that model's.
struct CodecBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec",
        abstract: "Time EnCodec 24/32/48 kHz and DAC 44.1 kHz encode and decode beside PyTorch.",
        discussion: """
            The full-size models (the published config.json values, random weights, the transformers \
            layout) live in --models; missing ones are written by `PYTHON tools/codec/bench_codec.py make DIR` \
            (PYTHON from --python, $HARP_PYTHON or python3). Each model runs in a child process of harp, \
            then in one of PYTHON tools/codec/bench_codec.py run: one warm-up, then the median of \
            --repeats runs. Prints one JSON object; speedups are PyTorch / Harp seconds (above 1: Harp \
            is faster), the memory ratio is Harp / PyTorch peak RSS. Build with -c release.
            """)

    static let modelNames = ["encodec_24khz", "encodec_32khz", "encodec_48khz", "dac_44khz"]

    @Option(help: ArgumentHelp("Folder of the full-size models (made when missing).", valueName: "dir"))
    var models = ".build/codec-bench-models"

    @Option(help: "Seconds of audio to encode and decode.")
    var seconds = 10.0

    @Option(help: "Timed runs per operation.")
    var repeats = 3

    @Option(help: "Bench only this model (one of \(modelNames.joined(separator: ", "))).")
    var only: String?

    @Flag(help: .hidden)
    var harpOnly = false

    @OptionGroup var options: ReferenceOptions

    func validate() throws {
        guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600]") }
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be in 1...100") }
        if let only, !Self.modelNames.contains(only) {
            throw ValidationError("--only must be one of \(Self.modelNames.joined(separator: ", "))")
        }
    }

    func run() throws {
        Parallel.threadCount = options.threads
        if harpOnly, let only {
            print(try CodecTiming.measure(folder: URL(fileURLWithPath: models).appendingPathComponent(only),
                                          seconds: seconds, bandwidth: Self.bandwidth(for: only), repeats: repeats).json())
            return
        }
        try ErrorReporting.reportingFailure(subject: models) { try makeModelsIfMissing() }
        var rows: [[String: Any]] = []
        let load = Self.loadAverage()
        for name in only.map({ [$0] }) ?? Self.modelNames {
            FileHandle.standardError.write(Data("bench codec: \(name)\n".utf8))
            rows.append(compare(name))
        }
        let report: [String: Any] = [
            "seconds_of_audio": seconds, "threads": options.threads, "repeats": repeats,
            "load_average_before": load, "load_average_after": Self.loadAverage(), "models": rows,
        ]
        let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// Both sides for one model, and their ratios.
    private func compare(_ name: String) -> [String: Any] {
        var row: [String: Any] = ["model": name]
        let bandwidth = Self.bandwidth(for: name)
        if let bandwidth { row["bandwidth"] = bandwidth }
        var childArguments = ["bench", "codec", "--harp-only", "--only", name, "--models", models,
                              "--seconds", String(seconds), "--repeats", String(repeats), "--threads", String(options.threads)]
        childArguments += ["--no-reference"]
        let harp = Self.runChild(childArguments)
        row["harp"] = harp ?? "failed"
        guard !options.noReference else { row["pytorch"] = "skipped: --no-reference"; return row }
        var arguments = ["run", models + "/" + name, "--seconds", String(seconds), "--repeats", String(repeats),
                         "--threads", String(options.threads)]
        if let bandwidth { arguments += ["--bandwidth", String(bandwidth)] }
        switch ReferenceRunner.run(python: options.python, script: "tools/codec/bench_codec.py", arguments: arguments) {
        case .success(let reference):
            row["pytorch"] = reference
            if let harp { row.merge(Self.ratios(harp: harp, reference: reference)) { a, _ in a } }
        case .failure(let failure):
            row["pytorch"] = "skipped: \(failure.description)"
        }
        return row
    }

    private func makeModelsIfMissing() throws {
        let missing = Self.modelNames.filter {
            !FileManager.default.fileExists(atPath: "\(models)/\($0)/model.safetensors")
        }
        guard !missing.isEmpty else { return }
        FileHandle.standardError.write(Data("bench codec: writing the full-size models into \(models) (PyTorch)\n".utf8))
        try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
        if case .failure(let failure) = ReferenceRunner.run(python: options.python, script: "tools/codec/bench_codec.py",
                                                            arguments: ["make", models]) {
            throw CodecCommandError("the full-size models are missing and could not be made: \(failure.description)")
        }
    }

    /// The bandwidth benchmarked: 6 kbps for EnCodec 24 kHz (the oracle anchors'), else the highest.
    static func bandwidth(for name: String) -> Double? {
        switch name {
        case "encodec_24khz": return 6
        case "encodec_48khz": return 24
        case "encodec_32khz": return 2.2
        default: return nil
        }
    }

    static func ratios(harp: [String: Any], reference: [String: Any]) -> [String: Any] {
        func median(_ object: [String: Any], _ key: String) -> Double? {
            (object[key] as? [String: Any])?["median"] as? Double
        }
        var result: [String: Any] = [:]
        for operation in ["encode", "decode"] {
            if let h = median(harp, "\(operation)_seconds"), let p = median(reference, "\(operation)_seconds"), h > 0 {
                result["\(operation)_speedup"] = p / h
            }
        }
        if let h = harp["peak_rss_bytes"] as? Double, let p = reference["peak_rss_bytes"] as? Double, p > 0 {
            result["memory_ratio"] = h / p
        }
        return result
    }

    /// Runs this executable with `arguments`; the JSON object it prints, or nil.
    static func runChild(_ arguments: [String]) -> [String: Any]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    static func loadAverage() -> [Double] {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).compactMap { Double($0) }
    }
}
