import Foundation
import HarpServer
import Hummingbird
import HummingbirdTesting
import Testing

/// The routes answer what they should, with the security headers, and nothing else.
struct ServerRoutesTests {
    let server: HarpServer
    let folder: URL

    init() throws { (server, folder) = try TestInstrument.server(names: ["bell", "wood block"]) }

    private func withClient(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = server.makeApplication(router: server.makeRouter(), port: 0)
        try await app.test(.router, body)
    }

    @Test func listingShowsEveryInstrumentWithItsFacts() async throws {
        try await withClient { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("bell") && html.contains("wood block"))
                #expect(html.contains("perc_bell.flac"))
                #expect(html.contains("compression ratio"))
                #expect(html.contains("/instruments/wood-block/control.png"))
            }
        }
    }

    @Test func playerPageHasTheControls() async throws {
        try await withClient { client in
            try await client.execute(uri: "/play/bell", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                for id in ["id=\"pad\"", "id=\"deformation\"", "id=\"replay\"", "id=\"record\"", "/static/player.js"] {
                    #expect(html.contains(id), "\(id)")
                }
                #expect(!html.contains("http://") && !html.contains("https://"), "no other origin is referenced")
            }
        }
    }

    @Test func parametersAreTheInstrumentFile() async throws {
        let file = try Data(contentsOf: folder.appendingPathComponent("bell.safetensors"))
        try await withClient { client in
            try await client.execute(uri: "/instruments/bell/parameters", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/octet-stream")
                #expect(Data(buffer: response.body) == file)
            }
            try await client.execute(uri: "/instruments/bell/control.png", method: .get) { response in
                #expect(Array(Data(buffer: response.body).prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            }
            try await client.execute(uri: "/instruments.json", method: .get) { response in
                let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect((json?["instruments"] as? [Any])?.count == 2)
            }
        }
    }

    @Test func everyResponseCarriesTheContentSecurityPolicy() async throws {
        try await withClient { client in
            for uri in ["/", "/play/bell", "/static/player.js", "/instruments/bell/parameters", "/nothing"] {
                try await client.execute(uri: uri, method: .get) { response in
                    let policy = response.headers[.contentSecurityPolicy] ?? ""
                    #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self'"), "\(uri)")
                    #expect(response.headers[.xContentTypeOptions] == "nosniff")
                }
            }
        }
    }

    @Test func unknownNamesAndTraversalAreNotFound() async throws {
        let uris = [
            "/play/nope", "/instruments/nope/parameters", "/instruments/bell/../../Package.swift",
            "/static/..%2F..%2F..%2FPackage.swift", "/static/%2e%2e/HarpServer.swift", "/static/../../etc/passwd",
            "/static/", "/static/Web", "/instruments/..%2Fbell/parameters", "/etc/passwd",
            "/\(folderPathComponent)/bell.safetensors", "/static/index.swift",
        ]
        try await withClient { client in
            for uri in uris {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri): \(response.status)")
                }
            }
        }
    }

    private var folderPathComponent: String { folder.path.trimmingCharacters(in: CharacterSet(charactersIn: "/")) }

    @Test func requestsOutsideTheBoundsAreRefused() async throws {
        try await withClient { client in
            try await client.execute(uri: "/", method: .post, body: ByteBuffer(string: "x")) { response in
                #expect(response.status == .methodNotAllowed)
            }
            try await client.execute(uri: "/play/" + String(repeating: "a", count: 5000), method: .get) { response in
                #expect(response.status == .uriTooLong)
            }
            try await client.execute(uri: "/", method: .get, headers: [.contentLength: "999999999"]) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test func requestsBeyondTheInFlightBoundGetServiceUnavailable() async throws {
        var limits = ServerLimits()
        limits.maxConcurrentRequests = 0
        let busy = try HarpServer(catalog: server.catalog, limits: limits)
        let app = busy.makeApplication(router: busy.makeRouter(), port: 0)
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
            }
        }
    }
}
