/// What can go wrong fitting, loading or playing an instrument, each with a one-line description.
public enum InstrumentError: Error, CustomStringConvertible, Equatable {
    case invalidConfiguration(String)
    case clipTooShort(seconds: Double, needed: Double)
    case silentClip(peak: Float)
    case nonFiniteAudio
    case unsupportedFormatVersion(found: Int, supported: Int)
    case malformedInstrument(String)
    case malformedCheckpoint(String)
    case badControlSignal(String)
    case badScore(String)
    /// Every control value went to zero: the ReLU passes no gradient back, so the fit cannot recover.
    /// `firstDistance` is the spectral distance of the fit's first sound (nil after a resume),
    /// `silentDistance` that of silence: when silence is closer, the spectral loss itself pulls
    /// the instrument towards silence, whatever the sparsity penalty.
    case controlSignalDied(iteration: Int, firstDistance: Float?, silentDistance: Float)

    public var description: String {
        switch self {
        case .invalidConfiguration(let reason): return "invalid instrument configuration: \(reason)"
        case .clipTooShort(let seconds, let needed):
            return String(format: "the clip segment is %.2f s long; the model needs at least %.2f s", seconds, needed)
        case .silentClip(let peak):
            return String(format: "the clip is silent or nearly so (peak %.1f dBFS); nothing to fit", 20 * log10(Double(max(peak, 1e-12))))
        case .nonFiniteAudio: return "the clip contains NaN or infinite samples"
        case .unsupportedFormatVersion(let found, let supported):
            return "instrument format version \(found) is newer than this Harp supports (\(supported)); upgrade Harp"
        case .malformedInstrument(let reason): return "not a valid instrument file: \(reason)"
        case .malformedCheckpoint(let reason): return "not a valid fit checkpoint: \(reason)"
        case .badControlSignal(let reason): return "bad control signal: \(reason)"
        case .badScore(let reason): return "bad score: \(reason)"
        case .controlSignalDied(let iteration, let firstDistance, let silentDistance):
            let died = "the control signal died by iteration \(iteration): every value is zero, so no gradient can revive it (the report shows the silent result)"
            guard let firstDistance, silentDistance < firstDistance else { return died + "; try a lower --sparsity or another --seed" }
            return died + String(format: "; silence (spectral distance %.1f) is closer to this clip than the instrument's first sound (%.1f), so even the spectral loss alone pulls towards silence: try another --offset or clip (or a lower --sparsity if it was raised)", silentDistance, firstDistance)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
