import Foundation

/// A second-order IIR section in transposed direct form II, in Double, with its own state.
///
/// `y[n] = b0·x[n] + b1·x[n−1] + b2·x[n−2] − a1·y[n−1] − a2·y[n−2]` (coefficients normalised by a0),
/// the same recurrence as `scipy.signal.lfilter` with zero initial state.
struct Biquad: Sendable {
    let b0, b1, b2, a1, a2: Double
    private var state1 = 0.0
    private var state2 = 0.0

    init(b: (Double, Double, Double), a: (Double, Double, Double)) {
        b0 = b.0 / a.0; b1 = b.1 / a.0; b2 = b.2 / a.0
        a1 = a.1 / a.0; a2 = a.2 / a.0
    }

    mutating func process(_ x: Double) -> Double {
        let y = b0 * x + state1
        state1 = b1 * x - a1 * y + state2
        state2 = b2 * x - a2 * y
        return y
    }

    /// High shelf from the Audio EQ Cookbook; `gainDecibels` above `frequencyHz`.
    // ref: R. Bristow-Johnson, "Cookbook formulae for audio EQ biquad filter coefficients";
    //      the form pyloudnorm (iirfilter.py) uses to build BS.1770 K-weighting at any sample rate.
    static func highShelf(gainDecibels: Double, q: Double, frequencyHz: Double, sampleRate: Int) -> Biquad {
        let amplitude = pow(10, gainDecibels / 40)
        let (cosW0, alpha) = angles(q: q, frequencyHz: frequencyHz, sampleRate: sampleRate)
        let shelf = 2 * amplitude.squareRoot() * alpha
        let b = (amplitude * ((amplitude + 1) + (amplitude - 1) * cosW0 + shelf),
                 -2 * amplitude * ((amplitude - 1) + (amplitude + 1) * cosW0),
                 amplitude * ((amplitude + 1) + (amplitude - 1) * cosW0 - shelf))
        let a = ((amplitude + 1) - (amplitude - 1) * cosW0 + shelf,
                 2 * ((amplitude - 1) - (amplitude + 1) * cosW0),
                 (amplitude + 1) - (amplitude - 1) * cosW0 - shelf)
        return Biquad(b: b, a: a)
    }

    /// Second-order high pass from the Audio EQ Cookbook.
    // ref: R. Bristow-Johnson, "Cookbook formulae for audio EQ biquad filter coefficients".
    static func highPass(q: Double, frequencyHz: Double, sampleRate: Int) -> Biquad {
        let (cosW0, alpha) = angles(q: q, frequencyHz: frequencyHz, sampleRate: sampleRate)
        let b = ((1 + cosW0) / 2, -(1 + cosW0), (1 + cosW0) / 2)
        let a = (1 + alpha, -2 * cosW0, 1 - alpha)
        return Biquad(b: b, a: a)
    }

    private static func angles(q: Double, frequencyHz: Double, sampleRate: Int) -> (cosW0: Double, alpha: Double) {
        let w0 = 2 * Double.pi * frequencyHz / Double(sampleRate)
        return (cos(w0), sin(w0) / (2 * q))
    }
}
