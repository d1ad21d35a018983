import Foundation

/// DeepFilterNet's post filter: attenuates bins further where the enhancement already removed a
/// lot, `g = clamp(|Y| / |X|)`, `Y ← Y · (1 + β) / (1 + β (g / (g · sin(π g / 2)))²)`.
/// Applied to bins in groups of four, so the last (Nyquist) bin of a 481-bin frame is left as it is.
///
/// ref: Rikorose/DeepFilterNet libDF/src/lib.rs `post_filter`.
enum PostFilter {
    static func apply(noisy: [Float], enhanced: inout [Float], beta: Float) {
        let epsilon: Float = 1e-12
        let bins = (noisy.count / 2) / 4 * 4
        for j in 0..<bins {
            let noisyMagnitude = (noisy[2 * j] * noisy[2 * j] + noisy[2 * j + 1] * noisy[2 * j + 1]).squareRoot()
            let enhancedMagnitude = (enhanced[2 * j] * enhanced[2 * j]
                                     + enhanced[2 * j + 1] * enhanced[2 * j + 1]).squareRoot()
            let g = Swift.max(Swift.min(enhancedMagnitude / (noisyMagnitude + epsilon), 1), epsilon)
            let gSin = g * Foundation.sin(g * Float.pi / 2)
            let ratio = g / gSin
            let factor = ((beta + 1) * g / (1 + beta * ratio * ratio)) / g
            enhanced[2 * j] *= factor
            enhanced[2 * j + 1] *= factor
        }
    }
}
