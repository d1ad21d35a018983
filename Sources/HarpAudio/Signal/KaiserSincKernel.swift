import Foundation

/// The low-pass interpolation kernel of `Resampler`: an ideal low-pass (sinc) under a Kaiser window.
///
/// `value(at:)` takes time in input samples, `t ∈ [-halfWidth, halfWidth]`:
/// `h(t) = 2·fc · sinc(2·fc·t) · I0(β·√(1 − (t/halfWidth)²)) / I0(β)`, with `fc` the cutoff in
/// cycles per input sample and `sinc(x) = sin(πx)/(πx)`.
// ref: J. F. Kaiser, "Nonrecursive digital filter design using the I0-sinh window function", 1974;
//      β and length from Oppenheim & Schafer, Discrete-Time Signal Processing, 3rd ed., §7.6.1.
struct KaiserSincKernel: Sendable {
    /// Cutoff in cycles per input sample.
    let cutoff: Double
    let beta: Double
    /// Half the support in input samples; the kernel has `2 * halfWidth` taps per output sample.
    let halfWidth: Int
    private let besselOfBeta: Double

    /// Designs the kernel for resampling `inputSampleRate` → `outputSampleRate`.
    ///
    /// The passband ends at `passbandFraction` and the stopband starts at `stopbandFraction` of
    /// the lower rate's Nyquist frequency; the stopband is attenuated by `stopbandAttenuationDecibels`.
    init(inputSampleRate: Int, outputSampleRate: Int, passbandFraction: Double,
         stopbandFraction: Double, stopbandAttenuationDecibels: Double) {
        let lowerNyquistHz = Double(min(inputSampleRate, outputSampleRate)) / 2
        let inputRate = Double(inputSampleRate)
        let transitionHz = (stopbandFraction - passbandFraction) * lowerNyquistHz
        let cutoffHz = (passbandFraction + stopbandFraction) / 2 * lowerNyquistHz
        cutoff = cutoffHz / inputRate
        beta = Self.kaiserBeta(attenuationDecibels: stopbandAttenuationDecibels)
        // Filter order for the transition width, in input samples.
        let transitionRadians = 2 * Double.pi * transitionHz / inputRate
        let order = (stopbandAttenuationDecibels - 7.95) / (2.285 * transitionRadians)
        halfWidth = max(2, Int((order + 1) / 2) + 1)
        besselOfBeta = Self.besselI0(beta)
    }

    /// The kernel at `t` input samples from the output instant.
    func value(at t: Double) -> Double {
        let ratio = t / Double(halfWidth)
        guard abs(ratio) < 1 else { return 0 }
        let window = Self.besselI0(beta * (1 - ratio * ratio).squareRoot()) / besselOfBeta
        return 2 * cutoff * Self.sinc(2 * cutoff * t) * window
    }

    static func sinc(_ x: Double) -> Double {
        x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
    }

    /// Kaiser's empirical β for a given stopband attenuation.
    static func kaiserBeta(attenuationDecibels a: Double) -> Double {
        if a > 50 { return 0.1102 * (a - 8.7) }
        if a >= 21 { return 0.5842 * pow(a - 21, 0.4) + 0.07886 * (a - 21) }
        return 0
    }

    /// Modified Bessel function of the first kind, order zero, by its power series
    /// `Σ ((x/2)^k / k!)²`, which converges quickly for the β values used here (< 20).
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0
        var term = 1.0
        let halfX = x / 2
        for k in 1..<200 {
            term *= halfX / Double(k)
            let square = term * term
            sum += square
            if square < sum * 1e-17 { break }
        }
        return sum
    }
}
