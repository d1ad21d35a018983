/// Why the web player could not start: one-line reasons for the command line to print.
public enum ServerError: Error, Equatable, CustomStringConvertible {
    /// A path given on the command line is neither an instrument file nor a folder.
    case notFound(String)
    /// No instrument could be loaded from what was given.
    case noInstruments
    /// An instrument file is larger than the server will hold in memory.
    case fileTooLarge(path: String, bytes: Int, limit: Int)
    /// The page's own files are missing from the bundle (a broken build).
    case missingResources(String)

    public var description: String {
        switch self {
        case .notFound(let path): return "\(path): no such file or folder"
        case .noInstruments: return "no instruments to serve (give .safetensors instrument files or folders holding them)"
        case let .fileTooLarge(path, bytes, limit): return "\(path): \(bytes) bytes is over the \(limit)-byte limit for an instrument"
        case .missingResources(let name): return "the web player's resources are missing (\(name)); rebuild Harp"
        }
    }
}
