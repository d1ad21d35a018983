import Foundation

/// Why an Asura configuration or model could not be made, in one line.
public enum AsuraConfigurationError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read or is not a JSON object.
    case unreadable(String)
    /// Keys the model does not know and keys it needs that are absent, as dotted paths.
    case invalidKeys(missing: [String], unknown: [String], wrongType: [String])
    /// Keys are right but the values cannot make a model (sizes that do not divide, …).
    case inconsistent(String)

    public var description: String {
        switch self {
        case .unreadable(let reason): return "asura config: \(reason)"
        case let .invalidKeys(missing, unknown, wrongType):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing \(missing.joined(separator: ", "))") }
            if !unknown.isEmpty { parts.append("unknown \(unknown.joined(separator: ", "))") }
            if !wrongType.isEmpty { parts.append("wrong type \(wrongType.joined(separator: ", "))") }
            return "asura config: " + parts.joined(separator: "; ")
        case .inconsistent(let reason): return "asura config: \(reason)"
        }
    }
}
