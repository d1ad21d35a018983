import Foundation
import HarpInstrument
import HarpServer
import HarpTensor

/// Small instruments written to a temporary folder, and the catalog and server around them.
enum TestInstrument {
    /// A small but complete configuration: 8192 samples, C = R = 4, E = 2, 8 oscillators,
    /// control step 32 (F = 256), attacks of 16 frames → 256 samples, D = 64.
    static var configuration: InstrumentConfiguration {
        var c = InstrumentConfiguration()
        c.sampleCount = 8192
        c.resonanceWindowSize = 64
        c.controlPlaneDimension = 4
        c.resonanceCount = 4
        c.expressivity = 2
        c.oscillatorCount = 8
        c.attackFrameCount = 16
        c.attackSampleCount = 256
        c.deformationFrameSize = 128
        c.lossWindowSize = 256
        c.lossHopSize = 64
        return c
    }

    /// A fresh folder under the temporary directory.
    static func makeFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("harp-server-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes an untrained instrument (`seed`) as `name`.safetensors into `folder`.
    @discardableResult
    static func write(named name: String, in folder: URL, seed: UInt64 = 7, layers: Int = 1) throws -> URL {
        let model = try InstrumentModel(configuration: configuration, layerCount: layers, seed: seed)
        let url = folder.appendingPathComponent(name + ".safetensors")
        try InstrumentFile.save(model, summary: InstrumentFitSummary(sourceClip: "perc_bell.flac", seed: seed), to: url)
        return url
    }

    /// A server for the instruments in a fresh folder.
    static func server(names: [String] = ["bell"], limits: ServerLimits = ServerLimits()) throws -> (HarpServer, URL) {
        let folder = try makeFolder()
        for (i, name) in names.enumerated() { try write(named: name, in: folder, seed: UInt64(7 + i)) }
        return (try HarpServer(catalog: InstrumentCatalog(paths: [folder.path]), limits: limits), folder)
    }
}
