import Foundation
import HarpServer
import Hummingbird
import HummingbirdTesting
import Testing

/// The listing and the player appear in a real browser (screenshots kept for people to look at:
/// the path is printed).
@Suite(.enabled(if: Chromium.path != nil, Comment(rawValue: Chromium.skipReason)))
struct ScreenshotTests {
    @Test(.timeLimit(.minutes(10)))
    func listingAndPlayerRender() async throws {
        let (server, _) = try TestInstrument.server(names: ["bell", "wood block"])
        let requests = RequestLog()
        let app = server.makeApplication(router: server.makeRouter(observer: { requests.record($0.uri.path) }), port: 0)
        let folder = URL(fileURLWithPath: FileManager.default.temporaryDirectory.path).appendingPathComponent("harp-web-screenshots")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try await app.test(.live) { client in try await BrowserTurn.run {
            let port = try #require(client.port)
            for (name, path) in [("listing", "/"), ("player", "/play/bell")] {
                let file = folder.appendingPathComponent("\(name).png")
                try? FileManager.default.removeItem(at: file)
                try Chromium.screenshot("http://127.0.0.1:\(port)\(path)", to: file)
                let png = try Data(contentsOf: file)
                print("screenshot of \(path): \(file.path) (\(png.count) bytes)")
                #expect(png.count > 10_000, "a blank page compresses to almost nothing")
            }
        } }
        let seen = requests.paths
        for path in ["/", "/play/bell", "/static/style.css", "/static/player.js", "/instruments/bell/control.png",
                     "/instruments/wood-block/control.png", "/instruments/bell/parameters"] {
            #expect(seen.contains(path), "the browser never asked for \(path)")
        }
    }
}

/// Remembers the path of every request.
final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String] = []

    var paths: [String] { lock.withLock { seen } }

    func record(_ path: String) { lock.withLock { seen.append(path) } }
}
