import Foundation

/// Path comparisons used to keep inputs from being overwritten.
public enum FilePaths {
    /// Whether two paths name the same file: the same resolved path (symlinks and `..` followed,
    /// for a file that does not exist yet through its folder), or the same device and inode
    /// (hard links).
    public static func referToSameFile(_ first: String, _ second: String) -> Bool {
        if resolved(first) == resolved(second) { return true }
        var firstStatus = stat(), secondStatus = stat()
        guard stat(first, &firstStatus) == 0, stat(second, &secondStatus) == 0 else { return false }
        return firstStatus.st_dev == secondStatus.st_dev && firstStatus.st_ino == secondStatus.st_ino
    }

    /// The canonical absolute path, resolving the folder when the file itself does not exist.
    static func resolved(_ path: String) -> String {
        if let real = realPath(path) { return real }
        let url = URL(fileURLWithPath: path)
        let folder = realPath(url.deletingLastPathComponent().path) ?? url.deletingLastPathComponent().path
        return folder + "/" + url.lastPathComponent
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
