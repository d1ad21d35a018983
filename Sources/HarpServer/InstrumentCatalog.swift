import Foundation

/// The instruments a server was given, keyed by URL-safe id, in the order given.
///
/// Files are named explicitly or found directly inside folders (`*.safetensors`, not recursive).
/// Inside a folder, entries whose real path (symlinks resolved) leaves the folder are skipped, so
/// a link cannot expose a file elsewhere. Files that do not load as instruments are skipped and
/// reported, so one bad file does not stop the others from being played.
public struct InstrumentCatalog: Sendable {
    public private(set) var instruments: [ServedInstrument] = []
    /// Files that were found but not served, with the reason.
    public private(set) var skipped: [(path: String, reason: String)] = []
    private var byID: [String: Int] = [:]
    /// Each instrument's name before an id was added to tell it from a namesake.
    private var baseNames: [String] = []

    /// An empty catalog.
    public init() {}

    /// Loads every instrument in `paths` (files or folders).
    ///
    /// - Parameter byteLimit: the largest instrument file held in memory.
    /// - Throws: `ServerError.notFound` for a path that does not exist.
    public init(paths: [String], byteLimit: Int = 256 << 20) throws {
        for path in paths {
            for url in try Self.candidates(at: path) {
                add(url: url, byteLimit: byteLimit)
            }
        }
    }

    /// The instrument named `id`, if any.
    public func instrument(id: String) -> ServedInstrument? {
        byID[id].map { instruments[$0] }
    }

    /// Adds an instrument already in memory (`--demo`, embedding programs); one whose id is
    /// taken is skipped and reported.
    ///
    /// Two instruments fitted to clips of one name (two fits of one clip, say) are told apart by
    /// their files: both are shown as `name (file name)`.
    public mutating func add(_ instrument: ServedInstrument) {
        guard byID[instrument.id] == nil else {
            skipped.append((instrument.name, "another instrument already has the id '\(instrument.id)'"))
            return
        }
        var instrument = instrument
        let namesakes = baseNames.indices.filter { baseNames[$0] == instrument.name }
        baseNames.append(instrument.name)
        if !namesakes.isEmpty {
            for i in namesakes { instruments[i].name = "\(baseNames[i]) (\(instruments[i].fileName))" }
            instrument.name = "\(instrument.name) (\(instrument.fileName))"
        }
        byID[instrument.id] = instruments.count
        instruments.append(instrument)
    }

    private mutating func add(url: URL, byteLimit: Int) {
        do {
            add(try ServedInstrument.load(url: url, id: uniqueID(for: url), byteLimit: byteLimit))
        } catch {
            skipped.append((url.path, "\(error)"))
        }
    }

    /// Files to try for one command-line path.
    static func candidates(at path: String) throws -> [URL] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw ServerError.notFound(path) }
        let url = URL(fileURLWithPath: path)
        guard isFolder.boolValue else { return [url] }
        let folder = url.resolvingSymlinksInPath().standardizedFileURL.path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        // `harp fit` leaves a checkpoint beside each instrument; it is not one, so it is not tried.
        let files = names.sorted().filter {
            $0.hasSuffix(".safetensors") && !$0.hasPrefix(".") && $0 != "checkpoint.safetensors"
        }
        return files.compactMap { name in
            let file = url.appendingPathComponent(name)
            let real = file.resolvingSymlinksInPath().standardizedFileURL.path
            return real.hasPrefix(folder + "/") ? file : nil
        }
    }

    /// A slug of the file name (letters, digits, `-`, `_`), made unique with a counter. `harp fit`
    /// names every instrument `instrument.safetensors`, so for those the folder names it.
    private func uniqueID(for url: URL) -> String {
        var stem = url.deletingPathExtension().lastPathComponent
        if stem == "instrument" {
            let folder = url.deletingLastPathComponent().lastPathComponent
            if !folder.isEmpty && folder != "/" && folder != "." { stem = folder }
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        var slug = String(stem.map { allowed.contains($0) ? $0 : "-" }.prefix(64))
        if slug.isEmpty { slug = "instrument" }
        var id = slug, counter = 2
        while byID[id] != nil {
            id = "\(slug)-\(counter)"
            counter += 1
        }
        return id
    }
}
