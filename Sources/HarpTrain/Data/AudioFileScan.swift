import Foundation

/// Finds the audio files under a list of paths.
enum AudioFileScan {
    /// A file found, with its path relative to the folder it was found in (its own name for a
    /// file given directly).
    struct Source: Sendable, Equatable {
        let path: String
        let relativePath: String
    }

    /// Every file under `paths` whose extension is in `extensions`, hidden files and folders left
    /// out, sorted by relative path then path so every run sees the same order.
    static func sources(in paths: [String], extensions: Set<String>) throws -> [Source] {
        var found: [Source] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw AudioCorpusError.missing(path)
            }
            if !isFolder.boolValue {
                found.append(Source(path: path, relativePath: (path as NSString).lastPathComponent))
                continue
            }
            found += files(under: path, extensions: extensions)
        }
        return found.sorted { ($0.relativePath, $0.path) < ($1.relativePath, $1.path) }
    }

    private static func files(under folder: String, extensions: Set<String>) -> [Source] {
        let root = URL(fileURLWithPath: folder).standardizedFileURL
        guard let walker = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else { return [] }
        var found: [Source] = []
        for case let url as URL in walker {
            guard extensions.contains(url.pathExtension.lowercased()),
                  (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let full = url.standardizedFileURL.path
            let relative = String(full.dropFirst(root.path.count).drop { $0 == "/" })
            found.append(Source(path: full, relativePath: relative))
        }
        return found
    }
}
