import Foundation

/// The generator Harp ships (`harp train generator` on the corpus; see
/// `Resources/Models/README.md`), used by `harp generate` when no `--model` is given.
public enum BundledGenerator {
    /// Names a generator folder that overrides the bundled one.
    public static let environmentVariable = "HARP_GENERATOR_MODEL"
    public static let name = "harp-generator"
    static let resourcePath = "Resources/Models/harp-generator"

    /// `$HARP_GENERATOR_MODEL` if set, else the `Harp_HarpGenerate.resources` bundle beside the
    /// executable, else the source tree this was built from (as `BundledCodec` looks).
    public static var folderURL: URL? {
        if let path = ProcessInfo.processInfo.environment[environmentVariable], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return [bundleCandidate, sourceTreeCandidate].first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("model.safetensors").path)
        }
    }

    /// The folder, or one line saying that no generator is bundled and what to do instead.
    public static func folder() throws(GenerateError) -> URL {
        guard let url = folderURL else {
            throw .badInput("no generator is bundled with this harp yet (\(name)); train one with `harp train generator`, "
                            + "then pass --model DIR or set \(environmentVariable)")
        }
        return url
    }

    static var bundleCandidate: URL {
        Bundle.main.bundleURL.appendingPathComponent("Harp_HarpGenerate.resources").appendingPathComponent(resourcePath)
    }

    static var sourceTreeCandidate: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(resourcePath)
    }
}
