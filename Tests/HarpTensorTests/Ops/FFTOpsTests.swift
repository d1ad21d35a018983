import Foundation
import Testing
@testable import HarpTensor

/// rfft/irfft against a naive Double DFT, and their pullbacks against Double finite differences
/// of that DFT (the objective is linear, so central differences are exact up to rounding).
struct FFTOpsTests {
    static func naiveRFFT(_ x: [Double], scale: Double) -> [Double] {
        let n = x.count
        var out: [Double] = []
        for k in 0...(n / 2) {
            var re = 0.0, im = 0.0
            for t in 0..<n {
                let angle = -2 * Double.pi * Double(k * t) / Double(n)
                re += x[t] * cos(angle); im += x[t] * sin(angle)
            }
            out += [scale * re, scale * im]
        }
        return out
    }

    static func naiveIRFFT(_ spectrum: [Double], n: Int, scale: Double) -> [Double] {
        (0..<n).map { t in
            var sum = 0.0
            for k in 0..<n {
                let mirrored = k <= n / 2 ? k : n - k
                var re = spectrum[2 * mirrored], im = k <= n / 2 ? spectrum[2 * mirrored + 1] : -spectrum[2 * mirrored + 1]
                if k == 0 || (n % 2 == 0 && k == n / 2) { im = 0 }   // ignored, as in PyTorch
                let angle = 2 * Double.pi * Double(k * t) / Double(n)
                re = re * cos(angle) - im * sin(angle)
                sum += re
            }
            return scale * sum
        }
    }

    @Test(arguments: [1, 2, 7, 8, 33])
    func rfftForwardAndGradientMatchNaiveDFT(n: Int) {
        for normalization in FFTNormalization.allCases {
            var generator = RandomGenerator(seed: UInt64(n))
            let x = Tensor.uniform([2, n], low: -1, high: 1, generator: &generator, requiresGradient: true)
            let spectrum = x.rfft(normalization: normalization)
            let scale = Double(normalization.scale(length: n, inverse: false))
            let rows = x.scalars.map(Double.init)
            let expected = Self.naiveRFFT(Array(rows[0..<n]), scale: scale) + Self.naiveRFFT(Array(rows[n...]), scale: scale)
            #expect(zip(spectrum.scalars, expected).allSatisfy { abs(Double($0) - $1) < 1e-4 })

            let weights = Tensor.uniform(spectrum.shape, low: -1, high: 1, generator: &generator)
            spectrum.backward(seed: weights)
            let w = weights.scalars.map(Double.init)
            for i in 0..<(2 * n) {
                // d/dx_i Σ w·DFT(x) is the DFT of a unit impulse at i dotted with w.
                var impulse = [Double](repeating: 0, count: n)
                impulse[i % n] = 1
                let row = i / n
                let dft = Self.naiveRFFT(impulse, scale: scale)
                let numeric = zip(dft, w[(row * dft.count)..<((row + 1) * dft.count)]).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(abs(Double(x.grad!.scalars[i]) - numeric) < 1e-4, "n \(n) \(normalization) index \(i)")
            }
        }
    }

    @Test(arguments: [2, 7, 8, 33])
    func irfftForwardAndGradientMatchNaiveInverse(n: Int) {
        for normalization in FFTNormalization.allCases {
            var generator = RandomGenerator(seed: UInt64(100 + n))
            let bins = n / 2 + 1
            let spectrum = Tensor.uniform([bins, 2], low: -1, high: 1, generator: &generator, requiresGradient: true)
            let signal = spectrum.irfft(length: n, normalization: normalization)
            let scale = Double(normalization.scale(length: n, inverse: true))
            let s = spectrum.scalars.map(Double.init)
            let expected = Self.naiveIRFFT(s, n: n, scale: scale)
            #expect(zip(signal.scalars, expected).allSatisfy { abs(Double($0) - $1) < 1e-4 })

            let weights = Tensor.uniform([n], low: -1, high: 1, generator: &generator)
            signal.backward(seed: weights)
            let w = weights.scalars.map(Double.init)
            for i in 0..<(2 * bins) {
                var unit = [Double](repeating: 0, count: 2 * bins)
                unit[i] = 1
                let numeric = zip(Self.naiveIRFFT(unit, n: n, scale: scale), w).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(abs(Double(spectrum.grad!.scalars[i]) - numeric) < 1e-4, "n \(n) \(normalization) index \(i)")
            }
        }
    }
}
