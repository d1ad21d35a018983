import HarpTensor

/// Checks and reshapes shared by the codecs: audio going in, codes coming back.
enum CodecAudio {
    /// `audio` must be `[channelCount, samples]` with at least one sample, all finite.
    static func validate(_ audio: Tensor, channelCount: Int) throws(CodecError) {
        guard audio.rank == 2, audio.shape[0] == channelCount else {
            throw .badAudio("expected [\(channelCount), samples], got \(audio.shape)")
        }
        guard audio.shape[1] > 0 else { throw .badAudio("the audio is empty") }
        let finite = audio.withUnsafeBufferPointer { $0.allSatisfy { $0.isFinite } }
        guard finite else { throw .badAudio("the audio contains NaN or infinite samples") }
    }

    /// Codes must be `[chunks, 1…maximum, frames]` with every value in `0..<codebookSize`.
    static func validate(_ encoded: EncodedAudio, codebookSize: Int, maximumCodebookCount: Int) throws(CodecError) {
        let codes = encoded.codes
        guard codes.rank == 3 else { throw .badCodes("expected [chunks, codebooks, frames], got \(codes.shape)") }
        guard (1...maximumCodebookCount).contains(codes.shape[1]) else {
            throw .badCodes("\(codes.shape[1]) codebooks; this model has 1…\(maximumCodebookCount)")
        }
        guard codes.shape[0] >= 1, codes.shape[2] >= 1, encoded.sampleCount >= 1 else {
            throw .badCodes("no frames to decode (codes \(codes.shape), \(encoded.sampleCount) samples)")
        }
        if let range = codes.range, range.lowerBound < 0 || Int(range.upperBound) >= codebookSize {
            throw .badCodes("code values \(range.lowerBound)…\(range.upperBound) outside the codebook's 0…\(codebookSize - 1)")
        }
    }

    /// Chunk `index` of `[chunks, codebooks, frames]`: `[codebooks, frames]`.
    static func chunk(_ codes: IntTensor, _ index: Int) -> IntTensor {
        let size = codes.shape[1] * codes.shape[2]
        return IntTensor(shape: [codes.shape[1], codes.shape[2]],
                         scalars: Array(codes.scalars[(index * size)..<((index + 1) * size)]))
    }

    /// The first `frames` frames of `[codebooks, frames′]`.
    static func prefixFrames(_ codes: IntTensor, _ frames: Int) -> IntTensor {
        let (count, width) = (codes.shape[0], codes.shape[1])
        var scalars: [Int32] = []
        scalars.reserveCapacity(count * frames)
        for q in 0..<count { scalars += codes.scalars[(q * width)..<(q * width + frames)] }
        return IntTensor(shape: [count, frames], scalars: scalars)
    }

    /// Frames `range` of `[codebooks, frames′]`.
    static func frames(_ codes: IntTensor, _ range: Range<Int>) -> IntTensor {
        let (count, width) = (codes.shape[0], codes.shape[1])
        var scalars: [Int32] = []
        scalars.reserveCapacity(count * range.count)
        for q in 0..<count { scalars += codes.scalars[(q * width + range.lowerBound)..<(q * width + range.upperBound)] }
        return IntTensor(shape: [count, range.count], scalars: scalars)
    }

    /// `[codebooks, frames′]` padded with zeros to `frames` frames.
    static func rightPadded(_ codes: IntTensor, to frames: Int) -> IntTensor {
        let (count, width) = (codes.shape[0], codes.shape[1])
        guard width < frames else { return codes }
        var scalars: [Int32] = []
        scalars.reserveCapacity(count * frames)
        for q in 0..<count {
            scalars += codes.scalars[(q * width)..<((q + 1) * width)]
            scalars += [Int32](repeating: 0, count: frames - width)
        }
        return IntTensor(shape: [count, frames], scalars: scalars)
    }

    /// `[codebooks, frames]` blocks joined along frames.
    static func joinedFrames(_ blocks: [IntTensor], codebookCount: Int) -> IntTensor {
        let frames = blocks.reduce(0) { $0 + $1.shape[1] }
        var scalars: [Int32] = []
        scalars.reserveCapacity(codebookCount * frames)
        for q in 0..<codebookCount {
            for block in blocks {
                let width = block.shape[1]
                scalars += block.scalars[(q * width)..<((q + 1) * width)]
            }
        }
        return IntTensor(shape: [codebookCount, frames], scalars: scalars)
    }
}
