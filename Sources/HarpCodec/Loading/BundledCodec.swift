import Foundation

/// The codec Harp ships (trained here on the corpus of `tools/make-corpus.sh`; see its README in
/// `Resources/Models/harp-codec-24k/`), used by `harp encode`/`decode`/`codec roundtrip` when no
/// `--model` is given.
public enum BundledCodec {
    /// Names a codec folder that overrides the bundled one.
    public static let environmentVariable = "HARP_CODEC_MODEL"
    static let resourcePath = "Resources/Models/harp-codec-24k"

    /// `$HARP_CODEC_MODEL` if set, else the `Harp_HarpCodec.resources` bundle beside the
    /// executable (where `swift build` puts it, and where an installed `harp` needs it), else the
    /// source tree this was built from. `Bundle.module` is not used because it stops the process
    /// when its bundle is missing.
    public static var folderURL: URL? {
        if let path = ProcessInfo.processInfo.environment[environmentVariable], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return [bundleCandidate, sourceTreeCandidate].first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("model.safetensors").path)
        }
    }

    /// Loads the bundled codec.
    public static func load() throws(CodecError) -> any NeuralCodec {
        guard let folder = folderURL else {
            throw .missingFile(folder: "\(bundleCandidate.path) or \(sourceTreeCandidate.path) (or $\(environmentVariable))",
                               file: "model.safetensors of the bundled codec; copy Harp_HarpCodec.resources next to harp, or pass --model DIR")
        }
        return try CodecLoader.load(folder: folder)
    }

    static var bundleCandidate: URL {
        Bundle.main.bundleURL.appendingPathComponent("Harp_HarpCodec.resources").appendingPathComponent(resourcePath)
    }

    static var sourceTreeCandidate: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(resourcePath)
    }
}
