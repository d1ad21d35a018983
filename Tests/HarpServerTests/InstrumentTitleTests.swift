import Foundation
import Testing
@testable import HarpServer

/// The player's title is the clip's name as `harp fit` recorded it, not `instrument`; older files
/// without one are named by their file or fit folder.
struct InstrumentTitleTests {
    /// `folder/name/instrument.safetensors`, as `harp fit CLIP -o folder/name` leaves it.
    func fit(_ name: String, in root: URL, sourceClip: String) throws -> String {
        let folder = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try TestInstrument.write(named: "instrument", in: folder, sourceClip: sourceClip)
        return folder.path
    }

    @Test func theTitleIsTheClipsNameWithoutItsExtension() throws {
        let root = try TestInstrument.makeFolder()
        let catalog = try InstrumentCatalog(paths: [try fit("run-3", in: root, sourceClip: "marimba C4.wav")])
        let instrument = try #require(catalog.instruments.first)
        #expect(instrument.name == "marimba C4")
        #expect(instrument.id == "run-3")
        let page = PageRenderer.player(instrument, catalog: catalog)
        #expect(page.contains("<title>marimba C4 — Harp</title>"))
        #expect(page.contains("· marimba C4</h1>"))
        #expect(!page.contains("· instrument</h1>"))
    }

    @Test func filesWithoutAClipNameFallBackToTheirFolderOrFileName() throws {
        let root = try TestInstrument.makeFolder()
        let old = try fit("old bell", in: root, sourceClip: "")
        try TestInstrument.write(named: "wood", in: root, sourceClip: "")
        let catalog = try InstrumentCatalog(paths: [old, root.appendingPathComponent("wood.safetensors").path])
        #expect(catalog.instruments.map(\.name) == ["old bell", "wood"])
    }

    @Test func twoFitsOfOneClipAreToldApartByTheirFolders() throws {
        let root = try TestInstrument.makeFolder()
        let paths = [try fit("seed1", in: root, sourceClip: "bell.flac"), try fit("seed2", in: root, sourceClip: "bell.flac"),
                     try fit("other", in: root, sourceClip: "piano.flac")]
        let catalog = try InstrumentCatalog(paths: paths)
        #expect(catalog.instruments.map(\.name) == ["bell (seed1)", "bell (seed2)", "piano"])
    }
}
