import Foundation
import HarpNN
import HarpTensor

/// An instrument on disk: one safetensors file holding every parameter under the seed's names
/// and, in its string metadata, the format, its version, the configuration (JSON with the seed's
/// keys) and facts about the fit. `safetensors` in Python opens it as it is.
///
/// Format version 1 (see docs/file-formats.md):
///
/// | metadata key | value |
/// | --- | --- |
/// | `harp.format` | `instrument` |
/// | `harp.format_version` | `1` |
/// | `harp.config` | `InstrumentConfiguration` as JSON |
/// | `harp.layers` | number of resonance layers |
/// | `harp.fit` | `InstrumentFitSummary` as JSON (source clip, offset, iterations, seed, loss, compression, the length asked for when the clip was shorter) |
public enum InstrumentFile {
    public static let format = "instrument"
    public static let formatVersion = 1

    /// Writes `model` to `url` (through a temporary file renamed into place).
    public static func save(_ model: InstrumentModel, summary: InstrumentFitSummary, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let metadata = [
            "harp.format": format,
            "harp.format_version": String(formatVersion),
            "harp.config": String(decoding: try encoder.encode(model.configuration), as: UTF8.self),
            "harp.layers": String(model.network.layers.count),
            "harp.fit": String(decoding: try encoder.encode(summary), as: UTF8.self),
        ]
        try model.save(to: url, metadata: metadata)
    }

    /// Reads an instrument written by `save`, checking the format, version and configuration
    /// before any tensor is converted.
    public static func load(from url: URL) throws -> (model: InstrumentModel, summary: InstrumentFitSummary) {
        let file: SafeTensorsFile
        do {
            file = try SafeTensorsFile(contentsOf: url)
        } catch {
            throw InstrumentError.malformedInstrument("\(error)")
        }
        let metadata = file.metadata
        guard metadata["harp.format"] == format else {
            throw InstrumentError.malformedInstrument("no 'harp.format: instrument' in its metadata (is it an instrument?)")
        }
        guard let version = metadata["harp.format_version"].flatMap(Int.init) else {
            throw InstrumentError.malformedInstrument("missing or unreadable format version")
        }
        guard version <= formatVersion else {
            throw InstrumentError.unsupportedFormatVersion(found: version, supported: formatVersion)
        }
        let configuration: InstrumentConfiguration
        let summary: InstrumentFitSummary
        do {
            configuration = try JSONDecoder().decode(InstrumentConfiguration.self, from: Data((metadata["harp.config"] ?? "").utf8))
            summary = try JSONDecoder().decode(InstrumentFitSummary.self, from: Data((metadata["harp.fit"] ?? "{}").utf8))
        } catch {
            throw InstrumentError.malformedInstrument("unreadable configuration: \(error.localizedDescription)")
        }
        guard let layers = metadata["harp.layers"].flatMap(Int.init), (1...8).contains(layers) else {
            throw InstrumentError.malformedInstrument("layer count missing or outside 1…8")
        }
        let model = try InstrumentModel(configuration: configuration, layerCount: layers, seed: summary.seed)
        do {
            try model.load(from: url)
        } catch {
            throw InstrumentError.malformedInstrument("\(error)")
        }
        for (name, tensor) in model.namedParameters() where tensor.scalars.contains(where: { !$0.isFinite }) {
            throw InstrumentError.malformedInstrument("parameter \(name) holds NaN or infinite values")
        }
        return (model, summary)
    }
}

/// Facts about how an instrument was fitted, stored beside its parameters.
public struct InstrumentFitSummary: Codable, Equatable, Sendable {
    public var sourceClip: String = ""
    public var offsetSeconds: Double = 0
    public var iterations: Int = 0
    public var seed: UInt64 = 0
    public var finalLoss: Float?
    public var compressionRatio: Double?
    /// The segment length asked for (by default or by option) when the clip was shorter and the
    /// model followed the clip instead; nil when the model has the length asked for.
    public var requestedSampleCount: Int?

    public init(sourceClip: String = "", offsetSeconds: Double = 0, iterations: Int = 0, seed: UInt64 = 0,
                finalLoss: Float? = nil, compressionRatio: Double? = nil, requestedSampleCount: Int? = nil) {
        self.sourceClip = sourceClip
        self.offsetSeconds = offsetSeconds
        self.iterations = iterations
        self.seed = seed
        self.finalLoss = finalLoss
        self.compressionRatio = compressionRatio
        self.requestedSampleCount = requestedSampleCount
    }

    enum CodingKeys: String, CodingKey {
        case sourceClip = "source_clip"
        case offsetSeconds = "offset_seconds"
        case iterations, seed
        case finalLoss = "final_loss"
        case compressionRatio = "compression_ratio"
        case requestedSampleCount = "requested_n_samples"
    }
}
