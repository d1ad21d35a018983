/// Why a set of folders cannot serve as training data; each description is one line.
public enum AudioCorpusError: Error, Equatable, CustomStringConvertible {
    /// A path given as data does not exist.
    case missing(String)
    /// No file in the folders could be read as audio.
    case noAudio(folders: [String], skipped: Int)
    /// Too few files to hold some out and still train on the rest.
    case tooFewFiles(count: Int)
    /// The cache folder cannot be written.
    case cache(String)

    public var description: String {
        switch self {
        case let .missing(path):
            return "\(path): no such file or folder"
        case let .noAudio(folders, skipped):
            let list = folders.joined(separator: ", ")
            return skipped > 0
                ? "no readable audio in \(list) (\(skipped) audio files could not be read)"
                : "no audio files in \(list)"
        case let .tooFewFiles(count):
            return "\(count) audio file\(count == 1 ? "" : "s"): at least two are needed, one to train on and one to hold out"
        case let .cache(reason):
            return "cannot write the audio cache: \(reason)"
        }
    }
}
