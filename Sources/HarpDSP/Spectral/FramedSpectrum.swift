import HarpTensor

/// The spectra of windowed frames of each row — the core of every STFT:
///
///     output[r, f, k] = scale · Σ_j window[j] · signal[r, f·hop + j] · e^(−2πi·k·j/n),  n = window length
///
/// Frames that run past the end of a row see zeros. Padding conventions (PyTorch's centred
/// reflect padding, or seed 001's zeros on the right) are applied by the caller with `padded`.
///
/// - Parameters:
///   - signal: `[rows, samples]`.
///   - window: `[n]`, not differentiated (a constant such as a Hann window).
///   - frameCount: the number of frames kept (frame f starts at sample f·hop).
/// - Returns: `[rows, frameCount, n/2 + 1, 2]` (complex as a trailing axis). Differentiable with
///   respect to `signal`.
public func framedSpectrum(_ signal: Tensor, window: Tensor, hop: Int, frameCount: Int,
                           normalization: FFTNormalization = .backward) -> Tensor {
    precondition(signal.rank == 2 && window.rank == 1, "framedSpectrum: signal [rows, samples] and window [n]")
    precondition(hop >= 1 && frameCount >= 0, "framedSpectrum: hop must be ≥ 1")
    let rows = signal.shape[0], length = signal.shape[1], n = window.shape[0]
    let windowValues = window.scalars
    let frames = Tensor(shape: [rows, frameCount, n]) { out in
        signal.withUnsafeBufferPointer { x in
            Parallel.forEachChunk(count: rows * frameCount, minimumChunk: 16) { range in
                for index in range {
                    let (r, f) = index.quotientAndRemainder(dividingBy: frameCount)
                    let start = f * hop
                    for j in 0..<n {
                        let t = start + j
                        out[index * n + j] = t < length ? x[r * length + t] * windowValues[j] : 0
                    }
                }
            }
        }
    }
    let spectrum = withoutGradients { frames.rfft(normalization: normalization) }
    return Tensor.recording("framedSpectrum", result: spectrum, inputs: [signal]) { gradient in
        // Adjoint: each frame's rfft adjoint, times the window, overlap-added back into the row.
        let frameGradient = gradient.rfftAdjoint(length: n, normalization: normalization)
        return [Tensor(shape: signal.shape) { out in
            out.initialize(repeating: 0)
            frameGradient.withUnsafeBufferPointer { g in
                Parallel.forEachChunk(count: rows, minimumChunk: 1) { rowRange in
                    for r in rowRange {
                        for f in 0..<frameCount {
                            let start = f * hop, base = (r * frameCount + f) * n
                            for j in 0..<Swift.min(n, length - start) where start + j >= 0 {
                                out[r * length + start + j] += g[base + j] * windowValues[j]
                            }
                        }
                    }
                }
            }
        }]
    }
}
