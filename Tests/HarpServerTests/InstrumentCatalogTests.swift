import Foundation
import HarpServer
import Testing

/// Only instruments that were given, and that load, are served.
struct InstrumentCatalogTests {
    @Test func folderGivesItsInstrumentsWithUniqueIDs() throws {
        let folder = try TestInstrument.makeFolder()
        try TestInstrument.write(named: "a b", in: folder)
        try TestInstrument.write(named: "a-b", in: folder)
        let catalog = try InstrumentCatalog(paths: [folder.path])
        #expect(catalog.instruments.map(\.id).sorted() == ["a-b", "a-b-2"])
        #expect(catalog.instruments.allSatisfy { $0.compressionRatio > 0 && $0.fileSize > 0 })
    }

    /// What `harp fit` leaves: each folder holds `instrument.safetensors` and a checkpoint.
    @Test func fitFoldersAreNamedByFolderAndTheirCheckpointsAreNotTried() throws {
        let root = try TestInstrument.makeFolder()
        var paths: [String] = []
        for name in ["bell", "piano"] {
            let folder = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try TestInstrument.write(named: "instrument", in: folder)
            try Data("a checkpoint".utf8).write(to: folder.appendingPathComponent("checkpoint.safetensors"))
            paths.append(folder.path)
        }
        let catalog = try InstrumentCatalog(paths: paths)
        #expect(catalog.instruments.map(\.id) == ["bell", "piano"])
        #expect(catalog.skipped.isEmpty)
    }

    @Test func symlinksLeadingOutOfAFolderAreIgnored() throws {
        let outside = try TestInstrument.makeFolder()
        let secret = try TestInstrument.write(named: "secret", in: outside)
        let folder = try TestInstrument.makeFolder()
        try TestInstrument.write(named: "inside", in: folder)
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("link.safetensors"), withDestinationURL: secret)
        let catalog = try InstrumentCatalog(paths: [folder.path])
        #expect(catalog.instruments.map(\.id) == ["inside"])
    }

    @Test func filesThatAreNotInstrumentsAreSkippedWithAReason() throws {
        let folder = try TestInstrument.makeFolder()
        try TestInstrument.write(named: "good", in: folder)
        try Data("not safetensors".utf8).write(to: folder.appendingPathComponent("bad.safetensors"))
        let catalog = try InstrumentCatalog(paths: [folder.path])
        #expect(catalog.instruments.map(\.id) == ["good"])
        #expect(catalog.skipped.count == 1 && catalog.skipped[0].path.hasSuffix("bad.safetensors"))
    }

    @Test func missingPathIsAnError() {
        #expect(throws: ServerError.notFound("/no/such/place")) { try InstrumentCatalog(paths: ["/no/such/place"]) }
    }

    @Test func oversizedFileIsSkipped() throws {
        let folder = try TestInstrument.makeFolder()
        try TestInstrument.write(named: "big", in: folder)
        let catalog = try InstrumentCatalog(paths: [folder.path], byteLimit: 1000)
        #expect(catalog.instruments.isEmpty && catalog.skipped.first?.reason.contains("limit") == true)
    }
}
