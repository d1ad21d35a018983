import HarpTensor

/// Why an optimizer state could not be restored. Each description is one line.
public enum OptimizerStateError: Error, Equatable, Sendable {
    /// A key the optimizer does not recognise (for example a parameter index past the end).
    case unexpectedKey(String)
    /// A parameter's state lacks a tensor the optimizer needs.
    case missingKey(String)
    /// A moment whose shape differs from its parameter's.
    case shapeMismatch(key: String, expected: [Int], actual: [Int])
    /// A step count that is not a non-negative whole number.
    case invalidStep(key: String)
    /// The state file could not be read or written.
    case file(TensorFileError)
}

extension OptimizerStateError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .unexpectedKey(key): return "optimizer state has unexpected key \"\(key)\""
        case let .missingKey(key): return "optimizer state lacks \"\(key)\""
        case let .shapeMismatch(key, expected, actual):
            return "optimizer state \"\(key)\" has shape \(actual), the parameter has \(expected)"
        case let .invalidStep(key): return "optimizer state \"\(key)\" is not a valid step count"
        case let .file(error): return error.description
        }
    }
}
