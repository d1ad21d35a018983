import Foundation
import HarpNN
import HarpOptim
import HarpTensor

/// Everything needed to continue a fit exactly where it stopped: the model's parameters, Adam's
/// moments and step counts, the loss history and the noise generator's position, in one
/// safetensors file written atomically (a crash never leaves half of one).
public enum InstrumentCheckpoint {
    public static let formatVersion = 1

    /// What a checkpoint records besides tensors.
    public struct Header: Codable, Equatable {
        public var formatVersion = InstrumentCheckpoint.formatVersion
        public var configuration: InstrumentConfiguration
        public var layerCount: Int
        public var summary: InstrumentFitSummary
        public var noisePosition: UInt64
    }

    public static func save(_ fitter: InstrumentFitter, summary: InstrumentFitSummary, to url: URL) throws {
        var tensors: [String: Tensor] = [:]
        for (name, tensor) in fitter.model.stateDict() { tensors["model." + name] = tensor }
        for (name, tensor) in fitter.optimizer.stateDict() { tensors["optimizer." + name] = tensor }
        tensors["loss_history"] = Tensor(fitter.lossHistory)
        let header = Header(configuration: fitter.model.configuration, layerCount: fitter.model.network.layers.count,
                            summary: summary, noisePosition: fitter.model.noiseGenerator.position)
        let json = String(decoding: try JSONEncoder().encode(header), as: UTF8.self)
        try SafeTensors.write(tensors, metadata: ["harp.format": "instrument-checkpoint", "harp.checkpoint": json], to: url)
    }

    /// What the checkpoint at `url` records besides tensors: the configuration and the fit so far.
    public static func header(at url: URL) throws -> Header {
        try header(of: try open(url))
    }

    /// Rebuilds the fitter saved at `url` for `target`, which must have the saved configuration's length.
    /// Errors do not repeat the file's name: the caller names it.
    public static func load(from url: URL, target: Tensor) throws -> (fitter: InstrumentFitter, summary: InstrumentFitSummary) {
        let file = try open(url)
        let header = try header(of: file)
        let model = try InstrumentModel(configuration: header.configuration, layerCount: header.layerCount,
                                        seed: header.summary.seed)
        let fitter = InstrumentFitter(model: model, target: target)
        do {
            var modelState: [String: Tensor] = [:], optimizerState: [String: Tensor] = [:]
            for name in file.names {
                if name.hasPrefix("model.") { modelState[String(name.dropFirst(6))] = try file.tensor(named: name) }
                if name.hasPrefix("optimizer.") { optimizerState[String(name.dropFirst(10))] = try file.tensor(named: name) }
            }
            try model.load(stateDict: modelState)
            if !optimizerState.isEmpty { try fitter.optimizer.load(stateDict: optimizerState) }
            fitter.restore(lossHistory: try file.tensor(named: "loss_history").scalars)
        } catch {
            throw InstrumentError.malformedCheckpoint("\(error)")
        }
        model.noiseGenerator = RandomGenerator(seed: model.noiseGenerator.seed, position: header.noisePosition)
        return (fitter, header.summary)
    }

    private static func open(_ url: URL) throws -> SafeTensorsFile {
        do {
            return try SafeTensorsFile(contentsOf: url)
        } catch {
            throw InstrumentError.malformedCheckpoint("\(error)")
        }
    }

    private static func header(of file: SafeTensorsFile) throws -> Header {
        guard file.metadata["harp.format"] == "instrument-checkpoint",
              let json = file.metadata["harp.checkpoint"],
              let header = try? JSONDecoder().decode(Header.self, from: Data(json.utf8)) else {
            throw InstrumentError.malformedCheckpoint("no 'harp.format: instrument-checkpoint' header in its metadata")
        }
        guard header.formatVersion <= formatVersion else {
            throw InstrumentError.unsupportedFormatVersion(found: header.formatVersion, supported: formatVersion)
        }
        return header
    }
}
