import Foundation
import HarpTensor

/// Loads a codec from a Hugging Face model folder (`config.json` + `model.safetensors`, the
/// `transformers` layout), choosing the model by the config's `model_type`.
///
/// ```swift
/// let codec = try CodecLoader.load(folder: URL(fileURLWithPath: "encodec_24khz"))
/// let encoded = try codec.encode(audio, bandwidth: 6)
/// ```
public enum CodecLoader {
    public static let configurationFileName = "config.json"
    public static let weightsFileName = "model.safetensors"

    /// The codec in `folder`.
    public static func load(folder: URL) throws(CodecError) -> any NeuralCodec {
        let configURL = folder.appendingPathComponent(configurationFileName)
        let weightsURL = folder.appendingPathComponent(weightsFileName)
        let fileManager = FileManager.default
        for url in [configURL, weightsURL] where !fileManager.fileExists(atPath: url.path) {
            throw .missingFile(folder: folder.path, file: url.lastPathComponent)
        }
        guard let configData = try? Data(contentsOf: configURL) else {
            throw .malformedConfiguration("cannot read \(configURL.path)")
        }
        let modelType = try Self.modelType(in: configData)
        let weights = try CodecWeights(contentsOf: weightsURL)
        let hash = try Self.fingerprint(of: weightsURL)
        switch modelType {
        case "encodec":
            let configuration: EncodecConfiguration = try decoded(configData)
            let name = "encodec_\(Self.kilohertz(configuration.samplingRate))khz"
            return try EncodecModel(configuration: configuration, weights: weights,
                                    identity: CodecIdentity(name: name, weightsHash: hash))
        case "dac":
            let configuration: DacConfiguration = try decoded(configData)
            let name = "dac_\(Self.kilohertz(configuration.samplingRate))khz"
            return try DacModel(configuration: configuration, weights: weights,
                                identity: CodecIdentity(name: name, weightsHash: hash))
        default:
            throw .unknownModelType(modelType)
        }
    }

    /// The 64-bit FNV-1a hash of the file's bytes, as 16 hexadecimal digits.
    public static func fingerprint(of url: URL) throws(CodecError) -> String {
        guard let data = try? Data(contentsOf: url, options: .alwaysMapped) else {
            throw .unreadableWeights("cannot read \(url.path)")
        }
        return FNV1a.hexadecimal(data.withUnsafeBytes { FNV1a.hash($0) })
    }

    private static func modelType(in data: Data) throws(CodecError) -> String {
        struct Header: Decodable {
            var modelType: String?
            enum CodingKeys: String, CodingKey { case modelType = "model_type" }
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw .malformedConfiguration("config.json is not a JSON object")
        }
        guard let type = header.modelType else { throw .malformedConfiguration("config.json has no model_type") }
        return type
    }

    private static func decoded<T: Decodable>(_ data: Data) throws(CodecError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .malformedConfiguration("field \(path): \(context.debugDescription)")
        } catch {
            throw .malformedConfiguration("\(error)")
        }
    }

    /// `24000 → "24"`, `44100 → "44"`.
    private static func kilohertz(_ rate: Int) -> String { "\(rate / 1000)" }
}
