import HarpTensor

/// The inverse short-time Fourier transform, least-squares overlap-add (Griffin & Lim):
///
///     y[t] = Σ_f w[t − f·hop] · frame_f[t − f·hop]  /  Σ_f w²[t − f·hop],   frame_f = irfft(X[·, f])
///
/// then trimmed by nFFT/2 at the start when `center` (and at the end unless `length` is given).
/// With `length`, the result has exactly `length` samples, zero-filled past the last frame.
///
/// ref: `torch.istft(X, n_fft, hop_length, win_length, window, center, normalized, onesided,
/// length)` on `torch.view_as_complex(X)`; like torch, it traps where the window envelope
/// Σ w² falls below 1e-11 inside the kept range (a window/hop pair that does not overlap enough).
///
/// - Parameters:
///   - spectrum: `[..., bins, frames, 2]` — `stft`'s layout. With `onesided` (the default, and
///     inferred by torch when bins ≠ nFFT) bins = nFFT/2 + 1, and the imaginary parts of the DC and
///     Nyquist bins are ignored; otherwise bins = nFFT and only the first nFFT/2 + 1 are used
///     (the signal is assumed real).
///   - window: `[windowLength]`, zero-padded to nFFT, centred; rectangular when nil.
/// - Returns: `[..., samples]`. Differentiable with respect to `spectrum`.
public func istft(_ spectrum: Tensor, nFFT: Int, hop: Int? = nil, windowLength: Int? = nil, window: Tensor? = nil,
                  center: Bool = true, normalized: Bool = false, onesided: Bool? = nil, length: Int? = nil) -> Tensor {
    precondition(spectrum.rank >= 3 && spectrum.shape[spectrum.rank - 1] == 2,
                 "istft needs [..., bins, frames, 2], got \(spectrum.shape)")
    let hop = hop ?? nFFT / 4
    let windowLength = windowLength ?? window?.shape[0] ?? nFFT
    precondition(hop >= 1 && windowLength >= 1 && windowLength <= nFFT, "istft: hop ≥ 1 and window length in 1…nFFT")
    let window = window ?? Tensor.ones([windowLength])
    precondition(window.shape == [windowLength], "istft: window shape \(window.shape) ≠ [\(windowLength)]")
    let bins = spectrum.shape[spectrum.rank - 3], frameCount = spectrum.shape[spectrum.rank - 2]
    let isOnesided = onesided ?? (bins != nFFT)
    precondition(bins == (isOnesided ? nFFT / 2 + 1 : nFFT), "istft: \(bins) bins do not match nFFT = \(nFFT)")
    precondition(frameCount >= 1, "istft needs at least one frame")

    let leading = Array(spectrum.shape.dropLast(3))
    var rows = spectrum.reshaped([-1, bins, frameCount, 2])
    if !isOnesided { rows = rows.sliced(alongAxis: 1, start: 0, end: nFFT / 2 + 1) }
    let fullWindow = centredWindow(window, length: nFFT)
    // [rows, frames, bins, 2] → windowed frames [rows, frames, nFFT] → overlap-added [rows, total]
    let frames = rows.permuted([0, 2, 1, 3]).irfft(length: nFFT, normalization: normalized ? .ortho : .backward)
    let summed = overlapAdd(frames * fullWindow, hop: hop)

    let total = nFFT + hop * (frameCount - 1)
    let start = center ? nFFT / 2 : 0
    let end = length.map { start + $0 } ?? (center ? total - nFFT / 2 : total)
    let kept = Swift.max(Swift.min(end, total) - start, 0)
    let envelope = windowEnvelope(fullWindow, hop: hop, frameCount: frameCount, start: start, count: kept)
    var signal = summed.sliced(alongAxis: 1, start: start, end: start + kept) / envelope
    if end > total { signal = signal.padded(alongAxis: 1, before: 0, after: end - total) }
    return signal.reshaped(leading + [signal.shape[1]])
}

/// Σ_f w²[t − f·hop] for t in start..<start + count, checked against torch's 1e-11 floor.
private func windowEnvelope(_ window: Tensor, hop: Int, frameCount: Int, start: Int, count: Int) -> Tensor {
    let w = window.scalars, n = w.count
    var envelope = [Float](repeating: 0, count: count)
    for f in 0..<frameCount {
        for j in 0..<n {
            let t = f * hop + j - start
            if t >= 0 && t < count { envelope[t] += w[j] * w[j] }
        }
    }
    if let lowest = envelope.map({ Swift.abs($0) }).min() {
        precondition(lowest >= 1e-11, "istft: window overlap-add envelope falls to \(lowest) (< 1e-11)")
    }
    return Tensor(envelope)
}

/// Frames added back into rows at multiples of `hop` (the adjoint of framing):
/// `[rows, frames, n]` → `[rows, n + hop·(frames − 1)]`, y[r, f·hop + j] += x[r, f, j].
/// Pullback: each frame read back out of the gradient.
public func overlapAdd(_ frames: Tensor, hop: Int) -> Tensor {
    precondition(frames.rank == 3 && hop >= 1, "overlapAdd needs [rows, frames, n] and hop ≥ 1, got \(frames.shape)")
    let rows = frames.shape[0], frameCount = frames.shape[1], n = frames.shape[2]
    let total = frameCount == 0 ? 0 : n + hop * (frameCount - 1)
    let result = Tensor(shape: [rows, total]) { out in
        out.initialize(repeating: 0)
        frames.withUnsafeBufferPointer { x in
            Parallel.forEachChunk(count: rows, minimumChunk: 1) { rowRange in
                for r in rowRange {
                    for f in 0..<frameCount {
                        let source = (r * frameCount + f) * n, target = r * total + f * hop
                        for j in 0..<n { out[target + j] += x[source + j] }
                    }
                }
            }
        }
    }
    return Tensor.recording("overlapAdd", result: result, inputs: [frames]) { gradient in
        [Tensor(shape: frames.shape) { out in
            gradient.withUnsafeBufferPointer { g in
                Parallel.forEachChunk(count: rows * frameCount, minimumChunk: 16) { range in
                    for index in range {
                        let (r, f) = index.quotientAndRemainder(dividingBy: frameCount)
                        let source = r * total + f * hop
                        for j in 0..<n { out[index * n + j] = g[source + j] }
                    }
                }
            }
        }]
    }
}
