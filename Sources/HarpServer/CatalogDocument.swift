import Foundation
import HarpInstrument

/// The catalog as the page (and scripts) read it from `/instruments.json`.
struct CatalogDocument: Encodable {
    struct Entry: Encodable {
        let id: String
        let name: String
        let sourceClip: String
        let fileSize: Int
        let compressionRatio: Double
        let configuration: InstrumentConfiguration
        let parameters: String
        let controlPicture: String
    }

    let instruments: [Entry]

    init(_ catalog: InstrumentCatalog) {
        instruments = catalog.instruments.map {
            Entry(id: $0.id, name: $0.name, sourceClip: $0.sourceClip, fileSize: $0.fileSize,
                  compressionRatio: $0.compressionRatio, configuration: $0.configuration,
                  parameters: "/instruments/\($0.id)/parameters", controlPicture: "/instruments/\($0.id)/control.png")
        }
    }

    func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}
