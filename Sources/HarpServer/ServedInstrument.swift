import Foundation
import HarpDSP
import HarpInstrument

/// One instrument as the web player serves it: what the listing shows and the bytes it sends.
///
/// Everything is read and checked once, when the server starts; requests only look entries up
/// by `id`, so no request can name a file on disk.
public struct ServedInstrument: Sendable {
    /// URL-safe, unique name used in addresses (`/play/<id>`).
    public let id: String
    /// Display name: the name of the clip it was fitted to (see `displayName`); the catalog adds
    /// the id when two instruments would otherwise share one.
    public internal(set) var name: String
    /// The file's name without its extension, or its folder's for `harp fit`'s
    /// `instrument.safetensors`: what tells apart instruments fitted to clips of one name.
    public let fileName: String
    /// The clip the instrument was fitted to, as recorded in the file (may be empty).
    public let sourceClip: String
    /// Size of the instrument file in bytes.
    public let fileSize: Int
    /// The seed's compression ratio (values stored ÷ samples modelled).
    public let compressionRatio: Double
    /// Sample rate and segment length of the model.
    public let sampleRate: Int
    public let sampleCount: Int
    /// Control-plane dimension, resonances, oscillators, expressivity.
    public let configuration: InstrumentConfiguration
    /// The instrument file itself (safetensors): the player parses it in JavaScript.
    public let parameters: Data
    /// A heat map of the fitted control signal (PNG).
    public let controlPicture: Data

    /// Reads, validates and summarises the instrument file at `url`.
    static func load(url: URL, id: String, byteLimit: Int) throws -> ServedInstrument {
        let data = try Data(contentsOf: url)
        guard data.count <= byteLimit else {
            throw ServerError.fileTooLarge(path: url.path, bytes: data.count, limit: byteLimit)
        }
        let (model, summary) = try InstrumentFile.load(from: url)
        let c = model.configuration
        return ServedInstrument(
            id: id, name: displayName(file: url, sourceClip: summary.sourceClip), fileName: displayName(file: url, sourceClip: ""),
            sourceClip: summary.sourceClip,
            fileSize: data.count, compressionRatio: model.compressionRatio,
            sampleRate: c.sampleRate, sampleCount: c.sampleCount, configuration: c, parameters: data,
            controlPicture: controlPicture(model))
    }

    /// The clip's name without its extension, as `harp fit` records it in the file; for files
    /// without one, the file's name, or its folder's when it is `harp fit`'s `instrument.safetensors`.
    static func displayName(file url: URL, sourceClip: String) -> String {
        let clip = (sourceClip as NSString).deletingPathExtension.trimmingCharacters(in: .whitespacesAndNewlines)
        if !clip.isEmpty { return clip }
        let stem = url.deletingPathExtension().lastPathComponent
        let folder = url.deletingLastPathComponent().lastPathComponent
        return stem == "instrument" && !folder.isEmpty && folder != "/" && folder != "." ? folder : stem
    }

    /// An untrained instrument at the seed's default size (`harp serve --demo`): its random
    /// control plane and resonances already make sound, so the player can be tried without a fit.
    public static func untrainedDemo(seed: UInt64 = 1) throws -> ServedInstrument {
        let model = try InstrumentModel(configuration: InstrumentConfiguration(), seed: seed)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("harp-demo-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try InstrumentFile.save(model, summary: InstrumentFitSummary(sourceClip: "(untrained, seed \(seed))", seed: seed), to: url)
        let loaded = try load(url: url, id: "demo", byteLimit: .max)
        return ServedInstrument(
            id: "demo", name: "demo (untrained)", fileName: "demo", sourceClip: loaded.sourceClip, fileSize: loaded.fileSize,
            compressionRatio: loaded.compressionRatio, sampleRate: loaded.sampleRate, sampleCount: loaded.sampleCount,
            configuration: loaded.configuration, parameters: loaded.parameters, controlPicture: loaded.controlPicture)
    }

    /// The fitted control signal `[C, F]` drawn as the seed draws it (dark = silent).
    static func controlPicture(_ model: InstrumentModel) -> Data {
        let c = model.configuration
        let picture = Picture.heatMap(model.controlSignal.scalars, rows: c.controlPlaneDimension, columns: c.frameCount,
                                      width: 512, height: 128, colorMap: .viridis)
        return Data(picture.pngData())
    }
}
