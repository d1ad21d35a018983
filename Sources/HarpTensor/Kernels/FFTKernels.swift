import CFFTW

/// Batched one-dimensional FFTs along the last axis of contiguous Float32 buffers, via FFTW.
///
/// Complex values are interleaved `[re, im]` pairs, so a complex tensor `[batch, n]` is stored as
/// Float32 `[batch, n, 2]`. Rows are split across `Parallel.threadCount` threads; each row's
/// result does not depend on the split. Inputs and outputs must not overlap.
///
/// ref: PyTorch `torch.fft.rfft`, `irfft`, `fft`, `ifft` (signs, output sizes, `norm`).
public enum FFTKernels {
    /// Real-to-complex FFT of each row: `X[k] = scale · Σ_t x[t] · exp(-2πi·k·t/n)`, `k ≤ n/2`.
    ///
    /// - Parameters:
    ///   - input: `[batchCount, n]` real.
    ///   - output: `[batchCount, n/2+1, 2]` interleaved complex.
    ///   - normalization: `.backward` (default) leaves the forward transform unscaled.
    public static func rfft(
        _ input: UnsafePointer<Float>, batchCount: Int, n: Int,
        output: UnsafeMutablePointer<Float>, normalization: FFTNormalization = .backward
    ) {
        let plan = FFTPlanCache.shared.plan(.realToComplex, length: n)
        let rows = RowLayout(inputFloats: n, outputFloats: 2 * (n / 2 + 1), copiesInput: false)
        let scale = normalization.scale(length: n, inverse: false)
        forEachRow(batchCount: batchCount, layout: rows, n: n, input: UnsafeMutablePointer(mutating: input), output: output,
                   scale: scale) { source, destination in
            fftwf_execute_dft_r2c(plan.handle, source, FFTScratch.complex(destination))
        }
    }

    /// Complex-to-real inverse FFT of each half spectrum:
    /// `x[t] = scale · Σ_{k<n} X[k] · exp(+2πi·k·t/n)` with `X[n-k] = conj(X[k])`.
    ///
    /// As in PyTorch, the imaginary parts of the DC bin (and of the Nyquist bin for even `n`) are
    /// ignored. The input is left untouched (FFTW's c2r destroys its input, so rows are copied).
    ///
    /// - Parameters:
    ///   - input: `[batchCount, n/2+1, 2]` interleaved complex.
    ///   - output: `[batchCount, n]` real.
    ///   - n: the length of the real signal (odd or even).
    ///   - normalization: `.backward` (default) scales the inverse by `1/n`.
    public static func irfft(
        _ input: UnsafePointer<Float>, batchCount: Int, n: Int,
        output: UnsafeMutablePointer<Float>, normalization: FFTNormalization = .backward
    ) {
        let plan = FFTPlanCache.shared.plan(.complexToReal, length: n)
        let rows = RowLayout(inputFloats: 2 * (n / 2 + 1), outputFloats: n, copiesInput: true)
        let scale = normalization.scale(length: n, inverse: true)
        forEachRow(batchCount: batchCount, layout: rows, n: n, input: UnsafeMutablePointer(mutating: input), output: output,
                   scale: scale) { source, destination in
            fftwf_execute_dft_c2r(plan.handle, FFTScratch.complex(source), destination)
        }
    }

    /// Complex-to-complex FFT of each row; `inverse` flips the exponent's sign to `+`.
    ///
    /// - Parameters:
    ///   - input: `[batchCount, n, 2]` interleaved complex.
    ///   - output: `[batchCount, n, 2]` interleaved complex.
    ///   - normalization: which direction is scaled, as in `torch.fft.fft` / `ifft`.
    public static func fft(
        _ input: UnsafePointer<Float>, batchCount: Int, n: Int,
        output: UnsafeMutablePointer<Float>, inverse: Bool = false,
        normalization: FFTNormalization = .backward
    ) {
        let plan = FFTPlanCache.shared.plan(inverse ? .complexInverse : .complexForward, length: n)
        let rows = RowLayout(inputFloats: 2 * n, outputFloats: 2 * n, copiesInput: false)
        let scale = normalization.scale(length: n, inverse: inverse)
        forEachRow(batchCount: batchCount, layout: rows, n: n, input: UnsafeMutablePointer(mutating: input), output: output,
                   scale: scale) { source, destination in
            fftwf_execute_dft(plan.handle, FFTScratch.complex(source), FFTScratch.complex(destination))
        }
    }

    /// Row sizes of one transform, in floats.
    struct RowLayout {
        let inputFloats: Int
        let outputFloats: Int
        /// The transform overwrites its input, so the caller's row must be copied first.
        let copiesInput: Bool
    }

    /// Runs `execute(source, destination)` on every row, staging through aligned scratch rows
    /// when the caller's rows are not aligned as the plan expects, then scales the output.
    private static func forEachRow(
        batchCount: Int, layout: RowLayout, n: Int,
        input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, scale: Float,
        execute: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void
    ) {
        guard batchCount > 0 else { return }
        let rowWork = n * max(1, Int.bitWidth - n.leadingZeroBitCount)
        let rowsPerChunk = max(1, Parallel.minimumWorkPerThread / rowWork)
        Parallel.forEachChunk(count: batchCount, minimumChunk: rowsPerChunk) { rows in
            let inputScratch = FFTScratch(floatCount: layout.inputFloats)
            let outputScratch = FFTScratch(floatCount: layout.outputFloats)
            defer { inputScratch.free(); outputScratch.free() }
            for row in rows {
                let source = input + row * layout.inputFloats
                let destination = output + row * layout.outputFloats
                let stagesInput = layout.copiesInput || !FFTScratch.isPlanAligned(source)
                let stagesOutput = !FFTScratch.isPlanAligned(destination)
                if stagesInput { inputScratch.floats.update(from: source, count: layout.inputFloats) }
                let target = stagesOutput ? outputScratch.floats : destination
                execute(stagesInput ? inputScratch.floats : source, target)
                if stagesOutput { destination.update(from: target, count: layout.outputFloats) }
                scaleRow(destination, count: layout.outputFloats, by: scale)
            }
        }
    }

    private static func scaleRow(_ row: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        guard factor != 1 else { return }
        for index in 0..<count { row[index] *= factor }
    }
}
