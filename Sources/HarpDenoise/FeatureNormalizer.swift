import Foundation

/// DeepFilterNet's input features with their exponential normalisations, frame by frame.
///
/// * ERB: band energies (mean of |X|² over each band's bins) in dB, `10 · log10(e + 1e-10)`;
///   a running mean `m ← α·m + (1 − α)·x` (initialised linearly from −60 to −90 dB) is
///   subtracted and the result divided by 40.
/// * Complex: the lowest bins divided by `√s`, with `s ← α·s + (1 − α)·|X|` (initialised
///   linearly from 0.001 to 0.0001).
///
/// ref: Rikorose/DeepFilterNet libDF/src/lib.rs `feat_erb`, `band_mean_norm_erb`, `feat_cplx`,
/// `band_unit_norm`, `init_mean_norm_state`, `init_unit_norm_state`.
struct FeatureNormalizer {
    let bandWidths: [Int]
    let deepFilterBins: Int
    let alpha: Float
    private var meanState: [Float]
    private var unitState: [Float]

    init(bandWidths: [Int], deepFilterBins: Int, alpha: Float) {
        self.bandWidths = bandWidths
        self.deepFilterBins = deepFilterBins
        self.alpha = alpha
        let bands = bandWidths.count
        meanState = (0..<bands).map { -60 + Float($0) * (-90 - -60) / Float(bands - 1) }
        unitState = (0..<deepFilterBins).map { 0.001 + Float($0) * (0.0001 - 0.001) / Float(deepFilterBins - 1) }
    }

    /// Appends one frame's normalised ERB features (`bands` values) and complex features
    /// (`deepFilterBins` real parts then as many imaginary parts) for `spectrum` (interleaved).
    mutating func append(_ spectrum: [Float], erb: inout [Float], complex: inout [Float]) {
        var bin = 0
        for (band, width) in bandWidths.enumerated() {
            let k = 1 / Float(width)
            var energy: Float = 0
            for j in bin..<(bin + width) {
                let re = spectrum[2 * j], im = spectrum[2 * j + 1]
                energy += (re * re + im * im) * k
            }
            bin += width
            let decibels = Foundation.log10(energy + 1e-10) * 10
            meanState[band] = decibels * (1 - alpha) + meanState[band] * alpha
            erb.append((decibels - meanState[band]) / 40)
        }
        var imaginary = [Float](repeating: 0, count: deepFilterBins)
        for j in 0..<deepFilterBins {
            let re = spectrum[2 * j], im = spectrum[2 * j + 1]
            unitState[j] = (re * re + im * im).squareRoot() * (1 - alpha) + unitState[j] * alpha
            let scale = unitState[j].squareRoot()
            complex.append(re / scale)
            imaginary[j] = im / scale
        }
        complex.append(contentsOf: imaginary)
    }
}
