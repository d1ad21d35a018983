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
    /// A folder holding one instrument of the seed's default size, `bell.safetensors`, and a
    /// performance of it (its control signal and deformations, one draw of attack noise): what
    /// the real-time and speed tests play.
    static func defaultSize(seed: UInt64 = 3) throws
        -> (folder: URL, model: InstrumentModel, performance: (control: Tensor, deformations: Tensor, noise: [Tensor])) {
        let folder = try makeFolder()
        let model = try InstrumentModel(configuration: InstrumentConfiguration(), seed: seed)
        try InstrumentFile.save(model, summary: InstrumentFitSummary(seed: seed), to: folder.appendingPathComponent("bell.safetensors"))
        return (folder, model, (model.controlSignal, model.deformationCurve, model.drawNoise()))
    }

    static func makeFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("harp-server-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes an untrained instrument (`seed`) as `name`.safetensors into `folder`, recording
    /// `sourceClip` as the clip it was fitted to.
    @discardableResult
    static func write(named name: String, in folder: URL, seed: UInt64 = 7, layers: Int = 1,
                      sourceClip: String = "perc_bell.flac") throws -> URL {
        let model = try InstrumentModel(configuration: configuration, layerCount: layers, seed: seed)
        let url = folder.appendingPathComponent(name + ".safetensors")
        try InstrumentFile.save(model, summary: InstrumentFitSummary(sourceClip: sourceClip, seed: seed), to: url)
        return url
    }

    /// Writes an instrument fitted for `steps` steps (InstrumentFitter, the `harp fit` loop) as
    /// `name`.safetensors into `folder`, and returns the fitted model. The target clip is what
    /// another instrument (seed 101) plays for a sparse random performance, so the fit has a
    /// plausible percussive sound to chase.
    @discardableResult
    static func writeFitted(named name: String, in folder: URL, steps: Int = 12, seed: UInt64 = 7) throws -> InstrumentModel {
        let source = try InstrumentModel(configuration: configuration, seed: 101)
        var generator = RandomGenerator(seed: 5)
        let performance = source.randomControl(eventCount: 6, generator: &generator)
        let target = try TargetClip(segment: withoutGradients { source.render(control: performance).scalars })
        let model = try InstrumentModel(configuration: configuration, seed: seed)
        let fitter = InstrumentFitter(model: model, target: target.samples)
        for _ in 0..<steps { fitter.step() }
        let summary = InstrumentFitSummary(sourceClip: "perc_bell.flac", iterations: steps, seed: seed,
                                           finalLoss: fitter.lossHistory.last, compressionRatio: model.compressionRatio)
        try withoutGradients { try InstrumentFile.save(model, summary: summary, to: folder.appendingPathComponent(name + ".safetensors")) }
        return model
    }

    /// A server for the instruments in a fresh folder.
    static func server(names: [String] = ["bell"], limits: ServerLimits = ServerLimits()) throws -> (HarpServer, URL) {
        let folder = try makeFolder()
        for (i, name) in names.enumerated() { try write(named: name, in: folder, seed: UInt64(7 + i)) }
        return (try HarpServer(catalog: InstrumentCatalog(paths: [folder.path]), limits: limits), folder)
    }
}
