import Foundation

/// Why a latent model could not be loaded or run; each description is one line for the user.
public enum LatentError: Error, CustomStringConvertible, Equatable {
    case missingFile(folder: String, file: String)
    case notThisArchitecture(String)
    case unsupportedConfiguration(String)
    case unreadableWeights(String)
    case weightsMismatch(String)
    case audioTooShort(samples: Int, minimum: Int, sampleRate: Int)
    case invalidAudio(String)
    case invalidLatents(String)
    case invalidNoise(String)
    case invalidSteps(Int)
    case noBundledModel(String)

    public var description: String {
        switch self {
        case let .missingFile(folder, file):
            return "model folder \(folder) has no \(file) (a music2latent model folder holds config.json and model.safetensors)"
        case let .notThisArchitecture(detail):
            return "not a music2latent model folder: \(detail)"
        case let .unsupportedConfiguration(detail):
            return "unsupported music2latent configuration: \(detail)"
        case let .unreadableWeights(detail):
            return "cannot read the model weights: \(detail)"
        case let .weightsMismatch(detail):
            return "the weights do not fit the configuration: \(detail)"
        case let .audioTooShort(samples, minimum, rate):
            let need = String(format: "%.3f", Double(minimum) / Double(rate))
            return "audio too short: \(samples) samples; at least \(minimum) samples (\(need) s at \(rate) Hz) make one latent frame"
        case let .invalidAudio(detail):
            return "invalid audio: \(detail)"
        case let .invalidLatents(detail):
            return "invalid latents: \(detail)"
        case let .invalidNoise(detail):
            return "invalid noise: \(detail)"
        case let .invalidSteps(steps):
            return "--steps must be at least 1 (got \(steps))"
        case let .noBundledModel(name):
            return "no default music2latent model is bundled yet (\(name) is not trained); pass --model DIR (config.json + model.safetensors, e.g. from harp train latent) or set $HARP_LATENT_MODEL"
        }
    }
}
