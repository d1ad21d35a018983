/// Why a `.harpc` file could not be read or written; each description is one line.
public enum HarpcError: Error, Equatable, Sendable, CustomStringConvertible {
    case notHarpc
    case unsupportedVersion(Int)
    case truncated(needed: Int, available: Int)
    case headerTooLarge(Int)
    case malformedHeader(String)
    case invalidHeader(String)
    case checksumMismatch
    case trailingBytes(Int)
    case codeOutOfRange(value: Int32, codebookSize: Int)
    case modelMismatch(file: CodecIdentity, model: CodecIdentity)
    case io(String)

    public var description: String {
        switch self {
        case .notHarpc:
            return "not a .harpc file (wrong signature)"
        case let .unsupportedVersion(version):
            return ".harpc version \(version) is newer than this harp reads (version \(HarpcFile.version))"
        case let .truncated(needed, available):
            return "truncated .harpc file: needs \(needed) bytes, has \(available)"
        case let .headerTooLarge(length):
            return ".harpc header of \(length) bytes exceeds the limit of \(HarpcFile.headerLengthLimit)"
        case let .malformedHeader(reason):
            return "malformed .harpc header: \(reason)"
        case let .invalidHeader(reason):
            return "invalid .harpc header: \(reason)"
        case .checksumMismatch:
            return "corrupted .harpc file: checksum mismatch"
        case let .trailingBytes(count):
            return "corrupted .harpc file: \(count) unexpected bytes after the codes"
        case let .codeOutOfRange(value, codebookSize):
            return "code \(value) is outside the codebook (0..<\(codebookSize))"
        case let .modelMismatch(file, model):
            return "the codes were made by \(file.name) (weights \(file.weightsHash)), "
                + "not by this model, \(model.name) (weights \(model.weightsHash)); decode with the model that made them"
        case let .io(reason):
            return reason
        }
    }
}
