import Foundation
import Testing
@testable import HarpTensor

/// FFT kernels against a naive DFT in Double (as JUCE tests its FFT).
struct FFTKernelsTests {
    static let lengths = [1, 2, 7, 8, 1000, 4096]

    /// `X[k] = Σ_t x[t]·exp(sign·2πi·k·t/n)` for complex `x` given as `(re, im)` arrays.
    static func naiveDFT(re: [Double], im: [Double], sign: Double, binCount: Int) -> (re: [Double], im: [Double]) {
        let n = re.count
        // Exact phases: k·t is reduced mod n before the angle is formed.
        let cosines = (0..<n).map { cos(2 * Double.pi * Double($0) / Double(n)) }
        let sines = (0..<n).map { sign * sin(2 * Double.pi * Double($0) / Double(n)) }
        var outRe = [Double](repeating: 0, count: binCount), outIm = [Double](repeating: 0, count: binCount)
        for k in 0..<binCount {
            var sumRe = 0.0, sumIm = 0.0
            for t in 0..<n {
                let phase = (k * t) % n
                sumRe += re[t] * cosines[phase] - im[t] * sines[phase]
                sumIm += re[t] * sines[phase] + im[t] * cosines[phase]
            }
            outRe[k] = sumRe
            outIm[k] = sumIm
        }
        return (outRe, outIm)
    }

    static func interleaved(_ parts: (re: [Double], im: [Double])) -> [Double] {
        zip(parts.re, parts.im).flatMap { [$0, $1] }
    }

    /// Float32 FFT error grows like `log n`; values are O(√n) for unit-range input.
    static func tolerance(n: Int, reference: [Double]) -> Double {
        2e-6 * max(1, maxAbs(reference)) * Double(max(1, n.bitWidth - n.leadingZeroBitCount))
    }

    @Test(arguments: lengths)
    func rfftMatchesNaiveDFT(n: Int) {
        let batchCount = 2
        var random = KernelTestRandom(seed: UInt64(n))
        let x = random.floats(batchCount * n)
        let binCount = n / 2 + 1
        var spectrum = [Float](repeating: .nan, count: batchCount * binCount * 2)
        FFTKernels.rfft(x, batchCount: batchCount, n: n, output: &spectrum)
        for row in 0..<batchCount {
            let signal = Array(x[(row * n)..<((row + 1) * n)]).doubles
            let expected = Self.interleaved(Self.naiveDFT(re: signal, im: [Double](repeating: 0, count: n), sign: -1, binCount: binCount))
            let actual = Array(spectrum[(row * binCount * 2)..<((row + 1) * binCount * 2)])
            #expect(maxAbsDifference(actual, expected) <= Self.tolerance(n: n, reference: expected))
        }
    }

    @Test(arguments: lengths)
    func irfftMatchesNaiveInverseDFTIgnoringImaginaryDC(n: Int) {
        let batchCount = 2, binCount = n / 2 + 1
        var random = KernelTestRandom(seed: UInt64(n) + 100)
        let spectrum = random.floats(batchCount * binCount * 2)
        var signal = [Float](repeating: .nan, count: batchCount * n)
        let spectrumCopy = spectrum
        FFTKernels.irfft(spectrum, batchCount: batchCount, n: n, output: &signal)
        #expect(spectrum == spectrumCopy)
        for row in 0..<batchCount {
            // Hermitian extension; DC and (even n) Nyquist are taken as real, as PyTorch does.
            var re = [Double](repeating: 0, count: n), im = [Double](repeating: 0, count: n)
            for k in 0..<binCount {
                re[k] = Double(spectrum[(row * binCount + k) * 2])
                im[k] = Double(spectrum[(row * binCount + k) * 2 + 1])
                if k == 0 || 2 * k == n { im[k] = 0 }
                if k > 0 && k < n - k { re[n - k] = re[k]; im[n - k] = -im[k] }
            }
            let expected = Self.naiveDFT(re: re, im: im, sign: 1, binCount: n).re.map { $0 / Double(n) }
            let actual = Array(signal[(row * n)..<((row + 1) * n)])
            #expect(maxAbsDifference(actual, expected) <= Self.tolerance(n: n, reference: expected))
        }
    }

    @Test(arguments: lengths)
    func irfftOfRfftRecoversSignal(n: Int) {
        let batchCount = 3
        var random = KernelTestRandom(seed: UInt64(n) + 200)
        let x = random.floats(batchCount * n)
        var spectrum = [Float](repeating: 0, count: batchCount * (n / 2 + 1) * 2)
        var roundTrip = [Float](repeating: .nan, count: batchCount * n)
        for normalization in FFTNormalization.allCases {
            FFTKernels.rfft(x, batchCount: batchCount, n: n, output: &spectrum, normalization: normalization)
            FFTKernels.irfft(spectrum, batchCount: batchCount, n: n, output: &roundTrip, normalization: normalization)
            #expect(maxAbsDifference(roundTrip, x.doubles) <= 1e-5 * Double(n.bitWidth - n.leadingZeroBitCount), "\(normalization)")
        }
    }

    @Test(arguments: FFTNormalization.allCases)
    func rfftScalesByNormalization(_ normalization: FFTNormalization) {
        let n = 16
        var random = KernelTestRandom(seed: 5)
        let x = random.floats(n)
        var unscaled = [Float](repeating: 0, count: (n / 2 + 1) * 2), scaled = unscaled
        FFTKernels.rfft(x, batchCount: 1, n: n, output: &unscaled)
        FFTKernels.rfft(x, batchCount: 1, n: n, output: &scaled, normalization: normalization)
        // ref: torch.fft.rfft — "backward": 1, "ortho": 1/√n, "forward": 1/n.
        let factor: Float = switch normalization { case .backward: 1; case .ortho: 0.25; case .forward: 1.0 / 16 }
        #expect(maxAbsDifference(scaled, unscaled.map { Double($0 * factor) }) <= 1e-6)
    }

    @Test func rfftHandlesMisalignedRows() {
        // Offsetting by one float makes every row miss FFTW's SIMD alignment, forcing the staged path.
        let n = 64, batchCount = 3
        var random = KernelTestRandom(seed: 6)
        let x = random.floats(batchCount * n + 1)
        var aligned = [Float](repeating: 0, count: batchCount * (n / 2 + 1) * 2)
        var misaligned = [Float](repeating: 0, count: aligned.count + 1)
        let shifted = Array(x.dropFirst())
        FFTKernels.rfft(shifted, batchCount: batchCount, n: n, output: &aligned)
        x.withUnsafeBufferPointer { input in
            misaligned.withUnsafeMutableBufferPointer { output in
                FFTKernels.rfft(input.baseAddress! + 1, batchCount: batchCount, n: n, output: output.baseAddress! + 1)
            }
        }
        #expect(Array(misaligned.dropFirst()) == aligned)
    }

    @Test func rfftOfManyRowsSplitAcrossThreadsEqualsRowByRow() {
        // 2000 rows of 64 is enough work for `Parallel` to use every thread.
        let n = 64, batchCount = 2000, rowFloats = (n / 2 + 1) * 2
        var random = KernelTestRandom(seed: 7)
        let x = random.floats(batchCount * n)
        var batched = [Float](repeating: .nan, count: batchCount * rowFloats)
        var rowByRow = batched, roundTrip = x
        FFTKernels.rfft(x, batchCount: batchCount, n: n, output: &batched)
        x.withUnsafeBufferPointer { input in
            rowByRow.withUnsafeMutableBufferPointer { output in
                for row in 0..<batchCount {
                    FFTKernels.rfft(input.baseAddress! + row * n, batchCount: 1, n: n,
                                    output: output.baseAddress! + row * rowFloats)
                }
            }
        }
        #expect(batched == rowByRow)
        FFTKernels.irfft(batched, batchCount: batchCount, n: n, output: &roundTrip)
        #expect(maxAbsDifference(roundTrip, x.doubles) <= 1e-5)
    }

    @Test(arguments: [1, 7, 8, 1000])
    func complexFFTMatchesNaiveDFTBothDirections(n: Int) {
        var random = KernelTestRandom(seed: UInt64(n) + 300)
        let x = random.floats(2 * n)
        let re = stride(from: 0, to: 2 * n, by: 2).map { Double(x[$0]) }
        let im = stride(from: 1, to: 2 * n, by: 2).map { Double(x[$0]) }
        for inverse in [false, true] {
            var output = [Float](repeating: .nan, count: 2 * n)
            FFTKernels.fft(x, batchCount: 1, n: n, output: &output, inverse: inverse)
            var expected = Self.interleaved(Self.naiveDFT(re: re, im: im, sign: inverse ? 1 : -1, binCount: n))
            if inverse { expected = expected.map { $0 / Double(n) } }
            #expect(maxAbsDifference(output, expected) <= Self.tolerance(n: n, reference: expected), "inverse: \(inverse)")
        }
    }
}
