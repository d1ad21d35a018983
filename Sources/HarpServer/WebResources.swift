import Foundation

/// The page's own files (JavaScript, CSS, the test harness page), read from the target's bundled
/// `Web` folder once at start and served from memory by name.
///
/// Only names present in the folder exist; a request can never reach another file.
public struct WebResources: Sendable {
    /// A served file: its bytes and `Content-Type`.
    public struct File: Sendable {
        public let data: Data
        public let contentType: String
    }

    private let files: [String: File]

    /// The names that can be served.
    public var names: [String] { files.keys.sorted() }

    /// Loads the bundled `Web` folder.
    public static func bundled() throws -> WebResources {
        guard let folder = Bundle.module.url(forResource: "Web", withExtension: nil) else {
            throw ServerError.missingResources("Web")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var files: [String: File] = [:]
        for name in names where contentType(for: name) != nil {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            files[name] = File(data: data, contentType: contentType(for: name)!)
        }
        for required in ["player.js", "engine.js", "worklet.js", "instrument-data.js", "style.css"] where files[required] == nil {
            throw ServerError.missingResources(required)
        }
        return WebResources(files: files)
    }

    /// The file called `name`, if it is one of the page's files.
    public func file(named name: String) -> File? { files[name] }

    /// MIME type by extension; nil for anything the page does not use.
    static func contentType(for name: String) -> String? {
        switch (name as NSString).pathExtension {
        case "js": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "html": return "text/html; charset=utf-8"
        case "png": return "image/png"
        case "svg": return "image/svg+xml"
        default: return nil
        }
    }
}
