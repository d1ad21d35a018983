/// Why an audio operation failed, with a one-line human description.
///
/// Every case that concerns a file carries its path, so a command line can print
/// `harp: error: <path>: <reason>` without knowing the case.
public enum AudioError: Error, Equatable, Sendable, CustomStringConvertible {
    case fileNotFound(path: String)
    case isDirectory(path: String)
    case emptyFile(path: String)
    /// libsndfile could not open or decode the file; `reason` is its message.
    case unreadable(path: String, reason: String)
    case unsupportedChannelCount(path: String, channelCount: Int)
    case unsupportedSampleRate(path: String?, sampleRate: Int)
    /// The header promises more audio than the file holds.
    case truncated(path: String, declaredFrameCount: Int, actualFrameCount: Int)
    /// NaN or ±Inf samples, which no encoder can store meaningfully.
    case nonFiniteSamples(path: String, sampleCount: Int, firstFrame: Int)
    case unsupportedOutputFormat(path: String, reason: String)
    case outputIsInput(path: String)
    case writeFailed(path: String, reason: String)
    case invalidArgument(String)

    /// The file the error is about, if any.
    public var path: String? {
        switch self {
        case .fileNotFound(let path), .isDirectory(let path), .emptyFile(let path),
             .unreadable(let path, _), .unsupportedChannelCount(let path, _),
             .truncated(let path, _, _), .nonFiniteSamples(let path, _, _),
             .unsupportedOutputFormat(let path, _), .outputIsInput(let path),
             .writeFailed(let path, _):
            return path
        case .unsupportedSampleRate(let path, _):
            return path
        case .invalidArgument:
            return nil
        }
    }

    /// What went wrong, without the path.
    public var reason: String {
        switch self {
        case .fileNotFound: return "no such file"
        case .isDirectory: return "is a directory, not an audio file"
        case .emptyFile: return "file is empty"
        case .unreadable(_, let reason): return "cannot read audio: \(reason)"
        case .unsupportedChannelCount(_, let count):
            return "unsupported channel count \(count) (must be 1...\(AudioFormat.maximumChannelCount))"
        case .unsupportedSampleRate(_, let rate):
            return "unsupported sample rate \(rate) Hz (must be \(AudioFormat.supportedSampleRates.lowerBound)"
                + "...\(AudioFormat.supportedSampleRates.upperBound) Hz)"
        case .truncated(_, let declared, let actual):
            return "truncated: header declares \(declared) frames but the file holds \(actual)"
        case .nonFiniteSamples(_, let count, let frame):
            return "contains \(count) non-finite (NaN/Inf) sample\(count == 1 ? "" : "s"), first at frame \(frame)"
        case .unsupportedOutputFormat(_, let reason): return reason
        case .outputIsInput: return "output is the same file as the input; refusing to overwrite it"
        case .writeFailed(_, let reason): return "cannot write audio: \(reason)"
        case .invalidArgument(let message): return message
        }
    }

    public var description: String {
        if let path { return "\(path): \(reason)" }
        return reason
    }
}
