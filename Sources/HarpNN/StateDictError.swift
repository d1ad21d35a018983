import HarpTensor

/// Why a state dict could not be loaded into a module. Each description is one line.
public enum StateDictError: Error, Equatable, Sendable {
    /// Names the module has but the state dict lacks, and names the state dict has but the
    /// module lacks (sorted).
    case keyMismatch(missing: [String], unexpected: [String])
    /// A tensor whose shape differs from the module's.
    case shapeMismatch(key: String, expected: [Int], actual: [Int])
    /// The state dict file could not be read or written.
    case file(TensorFileError)
}

extension StateDictError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .keyMismatch(missing, unexpected):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing keys \(Self.list(missing))") }
            if !unexpected.isEmpty { parts.append("unexpected keys \(Self.list(unexpected))") }
            return "state dict does not match the module: " + parts.joined(separator: "; ")
        case let .shapeMismatch(key, expected, actual):
            return "state dict tensor \"\(key)\" has shape \(actual), the module expects \(expected)"
        case let .file(error):
            return error.description
        }
    }

    /// Up to eight names, then a count, so the line stays readable for large models.
    private static func list(_ names: [String]) -> String {
        let shown = names.prefix(8).joined(separator: ", ")
        return names.count > 8 ? "\(shown), … (\(names.count) in all)" : shown
    }
}
