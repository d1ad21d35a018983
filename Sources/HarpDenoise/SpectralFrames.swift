import Foundation
import HarpTensor

/// libDF's streaming STFT: a Vorbis window of `fftSize` samples advanced by `hopSize`, the
/// `1 / (fftSize² / (2 · hop))` normalisation applied in the analysis only, and overlap-add
/// synthesis with the same window.
///
/// Spectra are frames of `fftSize / 2 + 1` complex bins stored interleaved (`[re, im, re, im, …]`).
///
/// ref: Rikorose/DeepFilterNet libDF/src/lib.rs `DFState::new` (window, `wnorm`),
/// `frame_analysis`, `frame_synthesis`.
struct SpectralFrames {
    let fftSize: Int
    let hopSize: Int
    /// `sin(π/2 · sin²(π (n + ½) / (fftSize / 2)))`.
    let window: [Float]
    private var analysisMemory: [Float]
    private var synthesisMemory: [Float]

    init(fftSize: Int, hopSize: Int) {
        precondition(fftSize == 2 * hopSize, "SpectralFrames: libDF's layout needs fftSize = 2 · hopSize")
        self.fftSize = fftSize
        self.hopSize = hopSize
        let half = Double(fftSize / 2)
        window = (0..<fftSize).map { n in
            let s = Foundation.sin(0.5 * Double.pi * (Double(n) + 0.5) / half)
            return Float(Foundation.sin(0.5 * Double.pi * s * s))
        }
        analysisMemory = [Float](repeating: 0, count: fftSize - hopSize)
        synthesisMemory = [Float](repeating: 0, count: fftSize - hopSize)
    }

    /// Spectra of consecutive hops `samples` (`frames · hopSize` values): `frames` arrays of
    /// `2 · (fftSize / 2 + 1)` floats. The window spans the previous hop and the current one;
    /// the scale is `1 / fftSize` (libDF's `wnorm` for a half-overlap window).
    mutating func analyze(_ samples: ArraySlice<Float>) -> [[Float]] {
        let frames = samples.count / hopSize
        var windowed = [Float](repeating: 0, count: frames * fftSize)
        var start = samples.startIndex
        for frame in 0..<frames {
            let base = frame * fftSize
            for i in 0..<hopSize {
                windowed[base + i] = analysisMemory[i] * window[i]
                let x = samples[start + i]
                windowed[base + hopSize + i] = x * window[hopSize + i]
                analysisMemory[i] = x
            }
            start += hopSize
        }
        let spectra = Tensor(shape: [frames, fftSize], values: windowed).rfft(normalization: .forward).scalars
        let width = 2 * (fftSize / 2 + 1)
        return (0..<frames).map { Array(spectra[($0 * width)..<(($0 + 1) * width)]) }
    }

    /// Samples (`spectra.count · hopSize`) from spectra: unscaled inverse FFT, window, overlap-add.
    mutating func synthesize(_ spectra: [[Float]]) -> [Float] {
        let frames = spectra.count
        guard frames > 0 else { return [] }
        let bins = fftSize / 2 + 1
        let signals = Tensor(shape: [frames, bins, 2], values: spectra.flatMap { $0 })
            .irfft(length: fftSize, normalization: .forward).scalars
        var output = [Float](repeating: 0, count: frames * hopSize)
        for frame in 0..<frames {
            let base = frame * fftSize
            for i in 0..<hopSize {
                output[frame * hopSize + i] = signals[base + i] * window[i] + synthesisMemory[i]
                synthesisMemory[i] = signals[base + hopSize + i] * window[hopSize + i]
            }
        }
        return output
    }
}
