import Foundation

/// What can go wrong loading or running a codec, each with a one-line description.
public enum CodecError: Error, CustomStringConvertible, Equatable {
    /// The model folder lacks `config.json` or `model.safetensors`.
    case missingFile(folder: String, file: String)
    /// `config.json` is not valid JSON or lacks a field the model needs.
    case malformedConfiguration(String)
    /// `config.json` names a `model_type` Harp does not run.
    case unknownModelType(String)
    /// The configuration asks for something this implementation does not support.
    case unsupportedConfiguration(String)
    /// A tensor the architecture needs is not in the weights file.
    case missingTensor(String)
    /// A tensor has another shape than the configuration implies.
    case misshapedTensor(name: String, expected: [Int], actual: [Int])
    /// The weights file could not be read.
    case unreadableWeights(String)
    /// The requested bandwidth is not one the model offers.
    case unsupportedBandwidth(Double, offered: [Double])
    /// The audio does not have the shape the model takes.
    case badAudio(String)
    /// Codes that do not fit the model (shape or range).
    case badCodes(String)

    public var description: String {
        switch self {
        case let .missingFile(folder, file):
            return "the model folder \(folder) has no \(file)"
        case let .malformedConfiguration(reason):
            return "malformed codec config.json: \(reason)"
        case let .unknownModelType(type):
            return "unknown codec model_type \"\(type)\" (Harp runs \"encodec\" and \"dac\")"
        case let .unsupportedConfiguration(reason):
            return "unsupported codec configuration: \(reason)"
        case let .missingTensor(name):
            return "the weights have no tensor \(name)"
        case let .misshapedTensor(name, expected, actual):
            return "tensor \(name) has shape \(actual), expected \(expected)"
        case let .unreadableWeights(reason):
            return "cannot read the codec weights: \(reason)"
        case let .unsupportedBandwidth(bandwidth, offered):
            let list = offered.map { CodecError.formatted($0) }.joined(separator: ", ")
            return "bandwidth \(CodecError.formatted(bandwidth)) kbps is not offered by this model (it offers \(list))"
        case let .badAudio(reason):
            return "bad audio for the codec: \(reason)"
        case let .badCodes(reason):
            return "bad codes: \(reason)"
        }
    }

    /// A bandwidth printed with up to three decimals and no trailing zeros (`1.5`, `6`, `0.861`).
    static func formatted(_ value: Double) -> String {
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
