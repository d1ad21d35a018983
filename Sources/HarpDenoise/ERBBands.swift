import Foundation

/// The widths (in FFT bins) of DeepFilterNet's ERB bands, lowest first; they sum to `fftSize / 2 + 1`.
///
/// Band edges are equally spaced on the ERB scale `9.265 · ln(1 + f / (24.7 · 9.265))`, rounded to
/// bins, and no band is narrower than `minimumBins` (the excess is taken from the next bands).
/// At 48 kHz / 960 / 32 bands: 13 bands of 2 bins, …, the last of 67.
///
/// ref: Rikorose/DeepFilterNet libDF/src/lib.rs `erb_fb`.
public func erbBandWidths(sampleRate: Int, fftSize: Int, bandCount: Int, minimumBins: Int) -> [Int] {
    func frequencyToERB(_ f: Float) -> Float { 9.265 * Foundation.log1p(f / (24.7 * 9.265)) }
    func erbToFrequency(_ e: Float) -> Float { 24.7 * 9.265 * (Foundation.exp(e / 9.265) - 1) }
    let binWidth = Float(sampleRate) / Float(fftSize)
    let low = frequencyToERB(0), high = frequencyToERB(Float(sampleRate / 2))
    let step = (high - low) / Float(bandCount)
    var widths = [Int](repeating: 0, count: bandCount)
    var previousEdge = 0, overflow = 0
    for band in 1...bandCount {
        let edge = Int((erbToFrequency(low + Float(band) * step) / binWidth).rounded())
        var width = edge - previousEdge - overflow
        if width < minimumBins {
            overflow = minimumBins - width
            width = minimumBins
        } else {
            overflow = 0
        }
        widths[band - 1] = width
        previousEdge = edge
    }
    widths[bandCount - 1] += 1
    let excess = widths.reduce(0, +) - (fftSize / 2 + 1)
    if excess > 0 { widths[bandCount - 1] -= excess }
    return widths
}
