import HarpTensor

/// Linear convolution of equal-length signals along the last axis, truncated to that length,
/// computed with real FFTs of twice the length so nothing wraps around:
///
///     output[..., t] = Σ_{τ ≤ t} a[..., τ] · b[..., t − τ],   0 ≤ t < n
///
/// Leading axes broadcast (NumPy rules), so one signal can meet many kernels. The pullback works
/// in the frequency domain: ∂/∂a = irfft(conj(B)·G) summed over the rows that broadcast onto a,
/// reusing the forward spectra (one FFT per output row, one inverse per input row).
///
/// ref: seed 001's `fft_convolve` (matching-pursuit @57a2880 `modules/transfer.py`): pad both to
/// 2n, multiply the spectra, inverse, keep the first n samples.
public func fftConvolve(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.rank >= 1 && b.rank >= 1 && a.shape.last == b.shape.last,
                 "fftConvolve needs equal last axes, got \(a.shape) and \(b.shape)")
    guard let lead = Shape.broadcast(Array(a.shape.dropLast()), Array(b.shape.dropLast())) else {
        preconditionFailure("fftConvolve: \(a.shape) and \(b.shape) do not broadcast")
    }
    let plan = FFTConvolution(n: a.shape[a.rank - 1], outputLead: lead,
                              aLead: Array(a.shape.dropLast()), bLead: Array(b.shape.dropLast()))
    let spectrumA = plan.paddedSpectrum(a), spectrumB = plan.paddedSpectrum(b)
    let result = plan.convolve(spectrumA, spectrumB)
    return Tensor.recording("fftConvolve", result: result, inputs: [a, b]) { gradient in
        let spectrumG = plan.paddedSpectrum(gradient)
        return [
            a.requiresGradient ? plan.correlate(spectrumG, with: spectrumB, otherRow: plan.bRow, rowOf: plan.aRow, rowCount: plan.aRows, shape: a.shape) : nil,
            b.requiresGradient ? plan.correlate(spectrumG, with: spectrumA, otherRow: plan.aRow, rowOf: plan.bRow, rowCount: plan.bRows, shape: b.shape) : nil,
        ]
    }
}

/// Row bookkeeping and the spectral loops of one `fftConvolve` call.
struct FFTConvolution {
    let n: Int
    let outputLead: [Int]
    let aRows: Int, bRows: Int, outputRows: Int
    /// For each output row, the row of a (and of b) it reads.
    let aRow: [Int], bRow: [Int]

    var paddedLength: Int { 2 * n }
    var bins: Int { n + 1 }

    init(n: Int, outputLead: [Int], aLead: [Int], bLead: [Int]) {
        self.n = n
        self.outputLead = outputLead
        aRows = Shape.count(aLead)
        bRows = Shape.count(bLead)
        outputRows = Shape.count(outputLead)
        aRow = Self.sourceRows(of: aLead, in: outputLead)
        bRow = Self.sourceRows(of: bLead, in: outputLead)
    }

    /// The row of a broadcast operand with leading shape `source` that each output row reads.
    static func sourceRows(of source: [Int], in output: [Int]) -> [Int] {
        let aligned = [Int](repeating: 1, count: output.count - source.count) + source
        let sourceStrides = Shape.strides(aligned)
        let outputStrides = Shape.strides(output)
        return (0..<Shape.count(output)).map { row in
            var remainder = row, index = 0
            for axis in 0..<output.count {
                let coordinate = remainder / outputStrides[axis]
                remainder %= outputStrides[axis]
                if aligned[axis] != 1 { index += coordinate * sourceStrides[axis] }
            }
            return index
        }
    }

    /// Floats between consecutive spectrum rows: n + 1 interleaved complex values, rounded up to
    /// 64 bytes so every row meets FFTW's alignment and is written in place (no staging copy).
    var spectrumStride: Int { (2 * bins + 15) / 16 * 16 }

    /// rfft of each row zero-padded to 2n: `[rows, spectrumStride]` (the first `2(n + 1)` floats of a
    /// row are its interleaved spectrum).
    ///
    /// Rows go one at a time through a per-thread 2n buffer whose upper half is zeroed once, so
    /// no padded copy of the whole input is ever made. Buffers are `TensorStorage`s, which the
    /// storage recycler reuses from step to step.
    func paddedSpectrum(_ x: Tensor) -> TensorStorage {
        let rows = x.count / n, stride = spectrumStride, length = paddedLength
        let spectrum = TensorStorage(uninitializedCount: rows * stride)
        x.withUnsafeBufferPointer { source in
            Parallel.forEachChunk(count: rows, minimumChunk: 1) { chunk in
                let padded = TensorStorage(uninitializedCount: length)
                (padded.baseAddress + n).initialize(repeating: 0, count: length - n)
                for row in chunk {
                    padded.baseAddress.update(from: source.baseAddress! + row * n, count: n)
                    FFTKernels.rfft(padded.baseAddress, batchCount: 1, n: length,
                                    output: spectrum.baseAddress + row * stride)
                }
            }
        }
        return spectrum
    }

    /// irfft of the products A·B per output row, first n samples.
    func convolve(_ a: TensorStorage, _ b: TensorStorage) -> Tensor {
        let stride = spectrumStride
        return Tensor(shape: outputLead + [n]) { out in
            Parallel.forEachChunk(count: outputRows, minimumChunk: 1) { rows in
                let product = TensorStorage(uninitializedCount: stride)
                let signal = TensorStorage(uninitializedCount: paddedLength)
                for row in rows {
                    multiply(a.baseAddress + aRow[row] * stride, b.baseAddress + bRow[row] * stride,
                             into: product.baseAddress, accumulate: false, conjugateFirst: false)
                    inverse(product.baseAddress, scratch: signal.baseAddress, into: out.baseAddress! + row * n)
                }
            }
        }
    }

    /// ∂/∂x for the operand whose rows are `rowOf`: Σ over output rows reading x-row i of
    /// conj(other)·G, then one inverse FFT per x-row.
    func correlate(_ g: TensorStorage, with other: TensorStorage, otherRow: [Int], rowOf: [Int], rowCount: Int,
                   shape: [Int]) -> Tensor {
        var byRow = [[Int]](repeating: [], count: rowCount)
        for row in 0..<outputRows { byRow[rowOf[row]].append(row) }
        let stride = spectrumStride
        return Tensor(shape: shape) { out in
            Parallel.forEachChunk(count: rowCount, minimumChunk: 1) { targets in
                let sum = TensorStorage(uninitializedCount: stride)
                let signal = TensorStorage(uninitializedCount: paddedLength)
                for target in targets {
                    sum.baseAddress.update(repeating: 0, count: 2 * bins)
                    for row in byRow[target] {
                        multiply(other.baseAddress + otherRow[row] * stride, g.baseAddress + row * stride,
                                 into: sum.baseAddress, accumulate: true, conjugateFirst: true)
                    }
                    inverse(sum.baseAddress, scratch: signal.baseAddress, into: out.baseAddress! + target * n)
                }
            }
        }
    }

    /// out (+)= (conj(x) or x) · y over `bins` interleaved complex values.
    private func multiply(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                          accumulate: Bool, conjugateFirst: Bool) {
        let sign: Float = conjugateFirst ? -1 : 1
        for k in 0..<bins {
            let xr = x[2 * k], xi = sign * x[2 * k + 1], yr = y[2 * k], yi = y[2 * k + 1]
            let real = xr * yr - xi * yi, imaginary = xr * yi + xi * yr
            if accumulate {
                out[2 * k] += real; out[2 * k + 1] += imaginary
            } else {
                out[2 * k] = real; out[2 * k + 1] = imaginary
            }
        }
    }

    /// irfft of one spectrum (length 2n, scaled 1/2n) through `scratch` (2n floats), keeping the
    /// first n samples in `output`.
    private func inverse(_ spectrum: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
                         into output: UnsafeMutablePointer<Float>) {
        FFTKernels.irfft(spectrum, batchCount: 1, n: paddedLength, output: scratch)
        output.update(from: scratch, count: n)
    }
}
