/// Why a tokenizer could not be loaded or could not encode. Each description is one line.
public enum TokenizerError: Error, Equatable, Sendable {
    /// The folder holds neither `tokenizer.json` nor `spiece.model`.
    case noTokenizer(folder: String)
    /// A tokenizer file is unreadable or does not parse (what went wrong, where).
    case malformed(file: String, reason: String)
    /// A tokenizer this implementation does not handle (for example a BPE model).
    case unsupported(file: String, what: String)
    /// A model the tokenizer comes with is not installed (how to install it).
    case missingModel(String)
}

extension TokenizerError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .noTokenizer(folder): return "\(folder): no tokenizer.json or spiece.model in the folder"
        case let .malformed(file, reason): return "\(file): not a valid tokenizer file (\(reason))"
        case let .unsupported(file, what): return "\(file): unsupported tokenizer (\(what))"
        case let .missingModel(message): return message
        }
    }
}
