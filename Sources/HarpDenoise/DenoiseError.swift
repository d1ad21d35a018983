/// Errors of the DeepFilterNet3 denoiser: each carries one clear line for the user.
public enum DenoiseError: Error, CustomStringConvertible, Equatable {
    /// The bundled weights are missing from the installation.
    case missingModel(String)
    /// A weight tensor is absent or has the wrong shape.
    case badWeights(String)
    /// An argument is outside what the model accepts.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .missingModel(let detail): return "DeepFilterNet3 weights not found: \(detail)"
        case .badWeights(let detail): return "DeepFilterNet3 weights are malformed: \(detail)"
        case .invalidArgument(let detail): return detail
        }
    }
}
