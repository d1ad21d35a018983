import Foundation

/// One audio file of a training corpus with its caption (`CaptionBuilder`).
public struct CorpusFile: Sendable, Equatable {
    public var path: String
    /// Relative to the corpus root (`music/…`, `speech/…`).
    public var relativePath: String
    /// `music` or `speech`.
    public var category: String
    public var caption: String

    static let audioExtensions: Set<String> = ["wav", "flac", "ogg", "oga", "opus", "mp3", "aif", "aiff"]

    /// Every audio file under `paths` (folders searched recursively), sorted, with captions from
    /// the corpus's `MANIFEST.tsv` (looked for in each folder and its parents) or, without one,
    /// from the path (category and package = its first two folders). Anything under a folder named
    /// `eval` is left out: that is the held-out evaluation set.
    public static func scan(_ paths: [String]) throws(GenerateError) -> [CorpusFile] {
        var files: [CorpusFile] = []
        let manager = FileManager.default
        for path in paths {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: url.path, isDirectory: &isFolder) else {
                throw .badInput("\(path): no such file or folder")
            }
            let (root, manifest) = Self.manifest(near: isFolder.boolValue ? url : url.deletingLastPathComponent())
            var found: [URL] = []
            if isFolder.boolValue {
                let enumerator = manager.enumerator(at: url, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
                while let item = enumerator?.nextObject() as? URL {
                    if audioExtensions.contains(item.pathExtension.lowercased()) { found.append(item) }
                }
            } else {
                found = [url]
            }
            for item in found {
                let relative = Self.relative(item.path, to: root.path)
                let components = relative.split(separator: "/").map(String.init)
                guard !components.contains("eval") else { continue }
                let row = manifest[relative]
                let category = row?.category ?? (components.first == "speech" ? "speech" : "music")
                let package = row?.package ?? (components.count > 2 ? components[1] : "")
                files.append(CorpusFile(path: item.path, relativePath: relative, category: category,
                                        caption: CaptionBuilder.caption(path: relative, package: package, category: category)))
            }
        }
        return files.sorted { $0.relativePath < $1.relativePath }
    }

    /// The nearest `MANIFEST.tsv` at or above `folder`: its folder and rows by path
    /// (`path`, `package`, `category` columns); the folder itself and no rows without one.
    static func manifest(near folder: URL) -> (URL, [String: (package: String, category: String)]) {
        var candidate = folder
        for _ in 0..<4 {
            let url = candidate.appendingPathComponent("MANIFEST.tsv")
            if let text = try? String(contentsOf: url, encoding: .utf8) {
                var rows: [String: (String, String)] = [:]
                let lines = text.split(separator: "\n")
                let header = lines.first?.split(separator: "\t").map(String.init) ?? []
                guard let p = header.firstIndex(of: "path"), let k = header.firstIndex(of: "package"),
                      let c = header.firstIndex(of: "category") else { break }
                for line in lines.dropFirst() {
                    let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                    if fields.count > max(p, k, c) { rows[fields[p]] = (fields[k], fields[c]) }
                }
                return (candidate, rows)
            }
            candidate = candidate.deletingLastPathComponent()
        }
        // No manifest: paths are read from the corpus root (the folder, or its parent when the
        // folder is a corpus's music/ or speech/).
        return (["music", "speech"].contains(folder.lastPathComponent) ? folder.deletingLastPathComponent() : folder, [:])
    }

    private static func relative(_ path: String, to root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : (path as NSString).lastPathComponent
    }
}
