import Foundation

/// The music2latent model Harp ships (trained here on the corpus with `harp train latent`; see
/// `Resources/Models/harp-latent-22k/README.md`), used by `harp latents encode/decode` when no
/// `--model` is given.
public enum BundledLatentModel {
    /// Names a model folder that overrides the bundled one.
    public static let environmentVariable = "HARP_LATENT_MODEL"
    public static let name = "harp-latent-22k"
    static let resourcePath = "Resources/Models/\(name)"

    /// `$HARP_LATENT_MODEL` if set, else the `Harp_HarpLatent.resources` bundle beside the
    /// executable, else the source tree this was built from; `nil` when none holds the weights.
    /// (`Bundle.module` is not used: it stops the process when its bundle is missing.)
    public static var folderURL: URL? {
        if let path = ProcessInfo.processInfo.environment[environmentVariable], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return [bundleCandidate, sourceTreeCandidate].first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent(ConsistencyAutoencoder.weightsFileName).path)
        }
    }

    /// Loads the bundled model.
    public static func load() throws(LatentError) -> ConsistencyAutoencoder {
        guard let folder = folderURL else { throw .noBundledModel(name) }
        return try ConsistencyAutoencoder(folder: folder)
    }

    static var bundleCandidate: URL {
        Bundle.main.bundleURL.appendingPathComponent("Harp_HarpLatent.resources").appendingPathComponent(resourcePath)
    }

    static var sourceTreeCandidate: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(resourcePath)
    }
}
