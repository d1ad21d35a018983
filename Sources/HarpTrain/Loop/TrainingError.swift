/// Why a training run stopped early or could not resume; each description is one line.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// A loss term became NaN or infinite; the last checkpoint is the last good state.
    case nonFiniteLoss(step: Int, term: String, value: Float)
    /// `--resume` with settings that differ from the checkpoint's, each difference one phrase.
    case configurationMismatch([String])
    /// A checkpoint that is not one, or not of this kind of run.
    case malformedCheckpoint(path: String, reason: String)

    public var description: String {
        switch self {
        case let .nonFiniteLoss(step, term, value):
            return "the \(term) loss became \(value) at step \(step); stopped, the last checkpoint is the last good state"
        case let .configurationMismatch(differences):
            return "cannot resume with different settings: " + differences.joined(separator: "; ")
        case let .malformedCheckpoint(path, reason):
            return "\(path): not a usable checkpoint (\(reason))"
        }
    }
}
