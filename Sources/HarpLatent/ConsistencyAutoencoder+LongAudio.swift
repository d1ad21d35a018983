import HarpTensor

/// Files of any length in bounded memory: the audio (or latents) go through the model a chunk of
/// latent frames at a time, with context on both sides, and only one chunk's maps exist at once.
///
/// Encoding: chunk `[a, b)` of latent frames is encoded from the audio of frames
/// `[a − context, b + context)` (clipped to the file) and frames `[a, b)` of the result are kept,
/// so every kept frame saw `context` frames of its neighbours. Decoding: chunks overlap by
/// `overlap` frames and their audio is cross-faded linearly over the shared samples.
/// A file no longer than one chunk is processed whole, exactly as `encode` / `decode` do; longer
/// ones differ slightly from a whole-file pass because the group norms see one chunk at a time
/// (the package itself cuts at 60 s without overlap).
extension ConsistencyAutoencoder {
    public struct Chunking: Sendable {
        /// Latent frames per chunk (64 ≈ 5.9 s at 44.1 kHz).
        public var frames: Int
        /// Encoding: latent frames of context on each side. Decoding: frames shared by neighbours.
        public var overlap: Int

        public init(frames: Int = 64, overlap: Int = 4) {
            precondition(frames >= 1 && overlap >= 0 && overlap < frames, "Chunking: need 0 ≤ overlap < frames")
            self.frames = frames
            self.overlap = overlap
        }
    }

    /// Latent frames that `sampleCount` samples yield (0 when too short for one).
    public func latentFrameCount(sampleCount: Int) -> Int {
        let cropped = configuration.croppedLength(sampleCount)
        return cropped == 0 ? 0 : (cropped - 3 * configuration.hop) / configuration.samplesPerLatentFrame
    }

    /// Latents (or features) of a `sampleCount`-sample signal that `read` hands out by ascending
    /// sample ranges as `[channels, range.count]`.
    public func encodeLong(sampleCount: Int, features: Bool = false, chunking: Chunking = Chunking(),
                           read: (Range<Int>) throws -> Tensor) throws -> Tensor {
        let frameCount = latentFrameCount(sampleCount: sampleCount)
        guard frameCount >= 1 else {
            throw LatentError.audioTooShort(samples: sampleCount, minimum: configuration.minimumSampleCount,
                                            sampleRate: sampleRate)
        }
        let step = configuration.samplesPerLatentFrame, tail = 3 * configuration.hop
        var pieces: [Tensor] = []
        var start = 0
        while start < frameCount {
            let end = min(start + chunking.frames, frameCount)
            let (from, to) = frameCount <= chunking.frames ? (0, frameCount)
                : (max(0, start - chunking.overlap), min(frameCount, end + chunking.overlap))
            let audio = try read(from * step ..< to * step + tail)
            let encoded = features ? try self.features(audio) : try encode(audio)
            pieces.append(encoded.sliced(alongAxis: 2, start: start - from, end: end - from))
            start = end
        }
        return pieces.count == 1 ? pieces[0] : Tensor.concatenated(pieces, alongAxis: 2)
    }

    /// Decodes `latents` `[channels, latentChannels, frames]` chunk by chunk, handing the audio to
    /// `write` in order as `[channels, n]` blocks; `frames·samplesPerLatentFrame + 3·hop` samples in all.
    ///
    /// - Parameter noise: the starting noise for the whole file (`[channels, 2, bins, frames·downscaling]`),
    ///   sliced per chunk; drawn chunk by chunk from `generator` when `nil`.
    public func decodeLong(_ latents: Tensor, steps: Int = 1, noise: Tensor? = nil, chunking: Chunking = Chunking(),
                           generator: inout RandomGenerator, write: (Tensor) throws -> Void) throws {
        try checkLatents(latents)
        guard steps >= 1 else { throw LatentError.invalidSteps(steps) }
        let shape = spectrogramShape(latents)
        if let noise, noise.shape != shape {
            throw LatentError.invalidNoise("shape \(noise.shape), expected \(shape) for these latents")
        }
        let frameCount = latents.shape[2], factor = configuration.downscalingFactor
        let step = configuration.samplesPerLatentFrame
        var pending: Tensor? = nil          // the previous chunk's audio from where the next chunk starts
        var start = 0
        while true {
            let end = min(start + chunking.frames, frameCount)
            let chunkNoise = noise?.sliced(alongAxis: 3, start: start * factor, end: end * factor)
            let audio = try decode(latents.sliced(alongAxis: 2, start: start, end: end), steps: steps,
                                   noise: chunkNoise, generator: &generator)
            var current = audio
            if let previous = pending {
                let shared = previous.shape[1]
                current = Tensor.concatenated([Self.crossFade(previous, audio.sliced(alongAxis: 1, end: shared)),
                                               audio.sliced(alongAxis: 1, start: shared)], alongAxis: 1)
            }
            guard end < frameCount else {
                try write(current)
                return
            }
            let nextStart = end - chunking.overlap
            let keep = (nextStart - start) * step
            try write(current.sliced(alongAxis: 1, end: keep))
            pending = current.sliced(alongAxis: 1, start: keep)
            start = nextStart
        }
    }

    /// `outgoing` fading out linearly while `incoming` fades in, over their common length.
    static func crossFade(_ outgoing: Tensor, _ incoming: Tensor) -> Tensor {
        let n = outgoing.shape[1]
        let ramp = Tensor((0..<n).map { (Float($0) + 0.5) / Float(n) })
        return outgoing * (1 - ramp) + incoming * ramp
    }
}

extension ConsistencyAutoencoder {
    /// Throws what `decode` would throw for these arguments, without decoding.
    public func checkedForDecoding(_ latents: Tensor, steps: Int, noise: Tensor?) throws {
        try checkLatents(latents)
        guard steps >= 1 else { throw LatentError.invalidSteps(steps) }
        let shape = spectrogramShape(latents)
        if let noise {
            guard noise.shape == shape else {
                throw LatentError.invalidNoise("shape \(noise.shape), expected \(shape) for these latents")
            }
            guard noise.scalars.allSatisfy({ $0.isFinite }) else { throw LatentError.invalidNoise("contains NaN or infinity") }
        }
    }
}
