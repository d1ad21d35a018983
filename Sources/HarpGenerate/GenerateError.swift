/// Why a MusicGen model could not be loaded or run. Each description is one line.
public enum GenerateError: Error, Equatable, Sendable {
    /// A file the model folder must hold is absent.
    case missingFile(folder: String, file: String)
    /// `config.json`, `generation_config.json` or the shard index does not parse or lacks a key.
    case malformedConfiguration(file: String, reason: String)
    /// A weights file is unreadable or malformed (the reader's message).
    case unreadableWeights(file: String, reason: String)
    /// A tensor the model needs is in no weights file.
    case missingTensor(String)
    /// A tensor's shape differs from what the configuration implies.
    case tensorShape(name: String, expected: [Int], actual: [Int])
    /// A configuration this implementation does not handle.
    case unsupported(String)
    /// Token ids that the model cannot take (shape, range, empty prompt).
    case badInput(String)
    /// Generation options out of range.
    case badOption(String)
    /// The audio codec failed (its message).
    case codec(String)
    /// The text encoder a generator names is absent or unusable (how to get it).
    case textEncoder(String)
    /// Generation was stopped before it finished.
    case cancelled
}

extension GenerateError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .missingFile(folder, file): return "\(folder): no \(file) in the model folder"
        case let .malformedConfiguration(file, reason): return "\(file): \(reason)"
        case let .unreadableWeights(file, reason): return "\(file): \(reason)"
        case let .missingTensor(name): return "the weights have no tensor \"\(name)\""
        case let .tensorShape(name, expected, actual):
            return "weight \"\(name)\" has shape \(actual), the configuration implies \(expected)"
        case let .unsupported(what): return "unsupported: \(what)"
        case let .badInput(reason): return reason
        case let .badOption(reason): return reason
        case let .codec(reason): return "audio codec: \(reason)"
        case let .textEncoder(reason): return reason
        case .cancelled: return "generation was stopped"
        }
    }
}
