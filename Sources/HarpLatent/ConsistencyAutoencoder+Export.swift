import Foundation
import HarpNN
import HarpTensor

extension ConsistencyAutoencoder {
    /// Writes the model as a folder `init(folder:)` reads: `config.json` (the package's hparams
    /// names) and `model.safetensors` (the package's `UNet.state_dict()` names), each atomically.
    public func export(to folder: URL, halfPrecision: Bool = false) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let weights = network.stateDict()
        let url = folder.appendingPathComponent(Self.weightsFileName)
        if halfPrecision {
            try SafeTensors.writeHalfPrecision(weights, metadata: ["format": "pt"], to: url)
        } else {
            try SafeTensors.write(weights, metadata: ["format": "pt"], to: url)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(configuration).write(to: folder.appendingPathComponent(Self.configurationFileName), options: .atomic)
    }
}
