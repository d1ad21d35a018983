import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore

/// The web player: a page listing the instruments it was given and a player for each, which
/// synthesises in the browser (WebAudio) from the instrument's parameters.
///
/// Routes (all `GET`; everything else is 404):
///
/// | path | answer |
/// | --- | --- |
/// | `/` | the listing (HTML) |
/// | `/play/<id>` | the player page (HTML) |
/// | `/static/<name>` | the page's scripts and styles, bundled in the binary |
/// | `/instruments.json` | the catalog as JSON |
/// | `/instruments/<id>/parameters` | the instrument file (safetensors), parsed by the page |
/// | `/instruments/<id>/control.png` | the fitted control signal as a picture |
///
/// Listens on 127.0.0.1 unless told otherwise; every request is bounded (`ServerLimits`).
public struct HarpServer: Sendable {
    public var catalog: InstrumentCatalog
    public var resources: WebResources
    public var limits: ServerLimits

    /// A server for `catalog`, with the bundled page resources.
    public init(catalog: InstrumentCatalog, limits: ServerLimits = ServerLimits()) throws {
        self.catalog = catalog
        self.resources = try WebResources.bundled()
        self.limits = limits
    }

    /// The router with every route and middleware. Callers may add routes before building an
    /// application with it (tests add their own); `observer`, if given, sees every request first.
    public func makeRouter(observer: (@Sendable (Request) -> Void)? = nil) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        if let observer { router.add(middleware: ObserverMiddleware(observe: observer)) }
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: RequestLimitMiddleware(limits: limits))
        addPageRoutes(to: router)
        addInstrumentRoutes(to: router)
        return router
    }

    /// An application serving `router` on `host:port`.
    public func makeApplication(router: Router<BasicRequestContext>, host: String = "127.0.0.1", port: Int = 8080,
                                onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol {
        let configuration = ApplicationConfiguration(
            address: .hostname(host, port: port), serverName: "harp",
            availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections))
        return Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(limits.idleTimeoutSeconds))),
            configuration: configuration,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) })
    }

    /// Serves until the process is interrupted (SIGINT/SIGTERM end it gracefully).
    public func run(host: String, port: Int, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await makeApplication(router: makeRouter(), host: host, port: port, onServerRunning: onServerRunning).runService()
    }

    private func addPageRoutes(to router: Router<BasicRequestContext>) {
        let catalog = self.catalog, resources = self.resources
        router.get("/") { _, _ in
            Self.response(Data(PageRenderer.listing(catalog).utf8), type: "text/html; charset=utf-8")
        }
        router.get("/play/:id") { _, context in
            let instrument = try Self.instrument(context, in: catalog)
            return Self.response(Data(PageRenderer.player(instrument, catalog: catalog).utf8), type: "text/html; charset=utf-8")
        }
        router.get("/static/:name") { _, context in
            guard let name = context.parameters.get("name"), let file = resources.file(named: name) else {
                throw HTTPError(.notFound)
            }
            return Self.response(file.data, type: file.contentType)
        }
    }

    private func addInstrumentRoutes(to router: Router<BasicRequestContext>) {
        let catalog = self.catalog
        router.get("/instruments.json") { _, _ in
            Self.response(try CatalogDocument(catalog).jsonData(), type: "application/json")
        }
        router.get("/instruments/:id/parameters") { _, context in
            Self.response(try Self.instrument(context, in: catalog).parameters, type: "application/octet-stream")
        }
        router.get("/instruments/:id/control.png") { _, context in
            Self.response(try Self.instrument(context, in: catalog).controlPicture, type: "image/png")
        }
    }

    private static func instrument(_ context: BasicRequestContext, in catalog: InstrumentCatalog) throws -> ServedInstrument {
        guard let id = context.parameters.get("id"), let instrument = catalog.instrument(id: id) else {
            throw HTTPError(.notFound)
        }
        return instrument
    }

    /// A `200 OK` with `data` as its body.
    static func response(_ data: Data, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
