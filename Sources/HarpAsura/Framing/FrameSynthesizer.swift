import HarpTensor

/// Phase frames back to audio, one frame at a time (the reference's `frames_to_signal`,
/// alephic/asura `harp/asura/asura.py`, made streaming): each frame's bins are un-negated where
/// `SpectralFraming` negated them, given the magnitude `unitary_exp|S|`, scaled back by the
/// framing's normalisation, inverse-FFT'd with a zero Nyquist bin, windowed again and
/// overlap-added; each output sample is divided by the sum of squared windows over the frames that
/// cover it.
///
/// The reference pads the frames with a zero frame at each end, so the normalisation of the first
/// and last samples counts one window more than the frames that carry signal. After frame `k` no
/// later frame touches output samples before `(k + 1)·hop`, so each `push` returns exactly the
/// `hop` samples the offline function would give there, and `finish` the last
/// `frameSamples − hop`: pushing `F` frames and finishing equals `frames_to_signal` of all `F`.
public struct FrameSynthesizer: Sendable {
    public let framing: SpectralFraming
    public let channelCount: Int
    /// Frames pushed since the last reset.
    public private(set) var frameCount = 0
    /// Overlap-added samples from padded position `(frameCount + 1)·hop` on: `[frameSamples, channels]`.
    var accumulator: [Float]
    let squaredWindow: [Float]

    public init(framing: SpectralFraming, channelCount: Int) {
        self.framing = framing
        self.channelCount = channelCount
        accumulator = [Float](repeating: 0, count: framing.frameSamples * channelCount)
        squaredWindow = framing.window.map { $0 * $0 }
    }

    public mutating func reset() {
        frameCount = 0
        for i in accumulator.indices { accumulator[i] = 0 }
    }

    /// Adds one phase frame `[bins, 2·channels]` (`[re₀, im₀, re₁, im₁, …]` per bin) and returns the
    /// `hop` samples it completes, interleaved `[hop, channels]`.
    public mutating func push(_ frame: [Float]) -> [Float] {
        let n = framing.frameSamples
        let samples = waveforms(of: frame)
        for i in 0..<n {
            for c in 0..<channelCount {
                accumulator[i * channelCount + c] += samples[c * n + i] * framing.window[i]
            }
        }
        frameCount += 1
        return emitted(framing.hop, from: frameCount * framing.hop, lastPaddedFrame: frameCount)
    }

    /// The samples after the last frame's first hop (`frameSamples − hop` of them, interleaved),
    /// normalised as the reference does with its trailing zero frame; then the synthesizer is reset.
    public mutating func finish() -> [Float] {
        guard frameCount > 0 else { return [] }
        let tail = emitted(framing.frameSamples - framing.hop, from: (frameCount + 1) * framing.hop,
                           lastPaddedFrame: frameCount + 1)
        reset()
        return tail
    }

    /// The first `count` accumulated samples, normalised, shifted out. `start` is the padded
    /// position of `accumulator[0]`; padded frame `f` starts at `f·hop` (frame 0 is the leading
    /// zero frame, real frame `k` is padded frame `k + 1`).
    mutating func emitted(_ count: Int, from start: Int, lastPaddedFrame: Int) -> [Float] {
        let (n, hop) = (framing.frameSamples, framing.hop)
        var out = [Float](repeating: 0, count: count * channelCount)
        for i in 0..<count {
            let p = start + i
            var norm: Float = 0
            var f = min(p / hop, lastPaddedFrame)
            while f >= 0 && p - f * hop < n {
                norm += squaredWindow[p - f * hop]
                f -= 1
            }
            for c in 0..<channelCount { out[i * channelCount + c] = accumulator[i * channelCount + c] / norm }
        }
        let shift = min(count, n) * channelCount
        accumulator.removeFirst(shift)
        accumulator.append(contentsOf: repeatElement(0, count: shift))
        return out
    }

    /// The inverse FFT of each channel of `frame`, un-negated and re-expanded: `[channels, frameSamples]`.
    func waveforms(of frame: [Float]) -> [Float] {
        let (bins, channels) = (framing.bins, channelCount)
        precondition(frame.count == bins * 2 * channels, "synthesis: a frame of \(frame.count) values, expected \(bins * 2 * channels)")
        var spectrum = [Float](repeating: 0, count: channels * (bins + 1) * 2)
        let inverseNormalization = 1 / framing.normalization
        for c in 0..<channels {
            for k in 0..<bins {
                let re = frame[(k * channels + c) * 2], im = frame[(k * channels + c) * 2 + 1]
                let size = (re * re + im * im).squareRoot()
                let scale = (size == 0 ? 1 : SpectralFraming.unitaryExp(size) / size)
                    * (k % 2 == 0 ? inverseNormalization : -inverseNormalization)
                spectrum[(c * (bins + 1) + k) * 2] = re * scale
                spectrum[(c * (bins + 1) + k) * 2 + 1] = im * scale
            }
        }
        return Tensor(shape: [channels, bins + 1, 2], values: spectrum).irfft(length: framing.frameSamples).scalars
    }
}
