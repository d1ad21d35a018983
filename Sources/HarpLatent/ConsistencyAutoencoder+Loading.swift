import Foundation
import HarpNN
import HarpTensor

extension ConsistencyAutoencoder {
    public static let configurationFileName = "config.json"
    public static let weightsFileName = "model.safetensors"

    /// The model in `folder`: `config.json` (music2latent's hparams) and `model.safetensors` (the
    /// package's `UNet.state_dict()` names; `tools/convert_music2latent.py` makes one from the
    /// published checkpoint).
    public convenience init(folder: URL) throws(LatentError) {
        let configURL = folder.appendingPathComponent(Self.configurationFileName)
        let weightsURL = folder.appendingPathComponent(Self.weightsFileName)
        for url in [configURL, weightsURL] where !FileManager.default.fileExists(atPath: url.path) {
            throw .missingFile(folder: folder.path, file: url.lastPathComponent)
        }
        let configuration = try Self.configuration(contentsOf: configURL)
        try self.init(configuration: configuration)
        let weights: [String: Tensor]
        do {
            weights = try SafeTensorsFile(contentsOf: weightsURL).tensors()
        } catch {
            throw .unreadableWeights("\(weightsURL.lastPathComponent): \(error)")
        }
        do {
            try network.load(stateDict: weights)
        } catch let .keyMismatch(missing, unexpected) {
            let detail = (missing.isEmpty ? "" : "\(missing.count) missing (e.g. \(missing[0]))")
                + (missing.isEmpty || unexpected.isEmpty ? "" : ", ")
                + (unexpected.isEmpty ? "" : "\(unexpected.count) unexpected (e.g. \(unexpected[0]))")
            throw .weightsMismatch(detail)
        } catch {
            throw .weightsMismatch("\(error)")
        }
    }

    /// The configuration in `url`, refusing another architecture's config.
    static func configuration(contentsOf url: URL) throws(LatentError) -> LatentConfiguration {
        guard let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .notThisArchitecture("\(url.lastPathComponent) is not a JSON object")
        }
        let present = LatentConfiguration.identifyingKeys.filter { object[$0] != nil }
        guard present.count == LatentConfiguration.identifyingKeys.count else {
            let type = (object["model_type"] as? String).map { " (model_type \($0))" } ?? ""
            throw .notThisArchitecture("\(url.lastPathComponent)\(type) lacks "
                + LatentConfiguration.identifyingKeys.filter { object[$0] == nil }.joined(separator: ", "))
        }
        do {
            return try JSONDecoder().decode(LatentConfiguration.self, from: data)
        } catch {
            throw .unsupportedConfiguration("\(url.lastPathComponent): \(error)")
        }
    }
}
