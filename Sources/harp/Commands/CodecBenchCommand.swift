import ArgumentParser
import Foundation
import HarpBenchmarks
import HarpCodec
import HarpTensor

/// `harp bench codec`: the published codecs' full-size architectures with random weights, encode
/// and decode of the same audio in Harp and (when torch and transformers import) in PyTorch.
struct CodecBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec",
        abstract: "Time EnCodec and DAC (full size, random weights) in Harp and, if PyTorch is importable, in tools/bench_codec.py.",
        discussion: """
            Each model is written as a transformers folder (config.json with the real model's \
            values, random weights as model.safetensors) that both sides load; both encode and \
            decode the same --seconds of audio: one warm-up, then the median of --repeats runs. \
            The reference is run as `PYTHON tools/bench_codec.py` from the current folder. Prints \
            one JSON object; ratios are PyTorch / Harp (above 1: Harp is faster or smaller).
            """)

    @Option(help: "Comma-separated models: \(CodecPreset.allCases.map(\.rawValue).joined(separator: ",")).")
    var models = CodecPreset.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Seconds of audio.")
    var seconds = 10.0

    @Option(help: "Timed runs after one warm-up, for each side.")
    var repeats = 3

    @OptionGroup var options: ReferenceOptions

    func validate() throws {
        guard (0.1...600).contains(seconds) else { throw ValidationError("--seconds must be in 0.1...600") }
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be in 1...100") }
        for name in models.split(separator: ",") where CodecPreset(rawValue: String(name)) == nil {
            throw ValidationError("unknown model \(name); choose from \(CodecPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        Parallel.threadCount = options.threads
        Parallel.configureBLASOnce()
        try ErrorReporting.reportingFailure(subject: "codec benchmark") {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("harp-bench-codec-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            var report: [String: Any] = ["threads": options.threads, "seconds_of_audio": seconds,
                                         "machine": try jsonObject(MachineDescription.current)]
            for name in models.split(separator: ",").map(String.init) {
                let preset = CodecPreset(rawValue: name)!
                let folder = scratch.appendingPathComponent(name), audio = scratch.appendingPathComponent("\(name).npy")
                let harp = try CodecBenchmark.run(preset, folder: folder, audioFile: audio, seconds: seconds, repeats: repeats)
                var entry: [String: Any] = ["harp": try jsonObject(harp)]
                if options.noReference {
                    entry["pytorch"] = NSNull()
                } else {
                    var arguments = ["--folder", folder.path, "--audio", audio.path, "--threads", String(options.threads),
                                     "--repeats", String(repeats)]
                    if preset == .encodec24kHz { arguments += ["--bandwidth", String(harp.bandwidth)] }
                    switch ReferenceRunner.run(python: options.python, script: "tools/bench_codec.py", arguments: arguments) {
                    case .success(let reference):
                        entry["pytorch"] = reference
                        if let encode = reference["encode_seconds"] as? Double { entry["ratio_encode"] = encode / harp.encodeSeconds }
                        if let decode = reference["decode_seconds"] as? Double { entry["ratio_decode"] = decode / harp.decodeSeconds }
                        if let bytes = reference["peak_rss_bytes"] as? Double {
                            entry["ratio_peak_memory"] = bytes / Double(harp.peakMemory.peakResidentBytes)
                        }
                    case .failure(let reason):
                        entry["pytorch"] = NSNull()
                        entry["pytorch_skipped"] = reason.description
                    }
                }
                report[name] = entry
                try? FileManager.default.removeItem(at: folder)
            }
            let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    func jsonObject<T: Encodable>(_ value: T) throws -> Any {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(value))
    }
}
