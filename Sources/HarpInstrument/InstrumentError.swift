/// What can go wrong fitting, loading or playing an instrument, each with a one-line description.
public enum InstrumentError: Error, CustomStringConvertible, Equatable {
    case invalidConfiguration(String)
    case clipTooShort(seconds: Double, needed: Double)
    case silentClip(peak: Float)
    case nonFiniteAudio
    case unsupportedFormatVersion(found: Int, supported: Int)
    case malformedInstrument(String)
    case badControlSignal(String)
    case badScore(String)
    /// Every control value went to zero: the ReLU passes no gradient back, so the fit cannot recover.
    case controlSignalDied(iteration: Int)

    public var description: String {
        switch self {
        case .invalidConfiguration(let reason): return "invalid instrument configuration: \(reason)"
        case .clipTooShort(let seconds, let needed):
            return String(format: "the clip segment is %.2f s long; the model needs %.2f s (use --seconds/--samples to shorten the model)", seconds, needed)
        case .silentClip(let peak):
            return String(format: "the clip is silent or nearly so (peak %.1f dBFS); nothing to fit", 20 * log10(Double(max(peak, 1e-12))))
        case .nonFiniteAudio: return "the clip contains NaN or infinite samples"
        case .unsupportedFormatVersion(let found, let supported):
            return "instrument format version \(found) is newer than this Harp supports (\(supported)); upgrade Harp"
        case .malformedInstrument(let reason): return "not a valid instrument file: \(reason)"
        case .badControlSignal(let reason): return "bad control signal: \(reason)"
        case .badScore(let reason): return "bad score: \(reason)"
        case .controlSignalDied(let iteration):
            return "the control signal died by iteration \(iteration): every value is zero, so no gradient can revive it (the report shows the silent result); try a lower --sparsity or another --seed"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
