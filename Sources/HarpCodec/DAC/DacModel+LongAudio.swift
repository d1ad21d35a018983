import HarpTensor

// Long audio in bounded memory for DAC: overlapping windows of `windowFrames` code frames with
// `contextFrames` of context either side, computed and trimmed. DAC has no recurrence and a
// finite receptive field, so the kept frames equal the whole-file result (within fp32 rounding).

extension DacModel {
    /// The windows over `frameCount` frames: the frames kept, and the frames computed.
    func windows(frameCount: Int) -> [(kept: Range<Int>, computed: Range<Int>)] {
        stride(from: 0, to: frameCount, by: max(1, windowFrames)).map { start in
            let kept = start..<min(frameCount, start + max(1, windowFrames))
            return (kept, max(0, kept.lowerBound - contextFrames)..<min(frameCount, kept.upperBound + contextFrames))
        }
    }

    public func encode(sampleCount: Int, bandwidth: Double?,
                       reading read: (Range<Int>) throws -> Tensor) throws -> EncodedAudio {
        guard sampleCount > 0 else { throw CodecError.badAudio("the audio is empty") }
        let (count, offered) = try codebookCount(bandwidth: bandwidth)
        let frameCount = (sampleCount + hopLength - 1) / hopLength
        var pieces: [IntTensor] = []
        for window in windows(frameCount: frameCount) {
            let samples = window.computed.lowerBound * hopLength..<window.computed.upperBound * hopLength
            let audio = try read(samples.lowerBound..<min(samples.upperBound, sampleCount))
            try CodecAudio.validate(audio, channelCount: 1)
            let codes = withoutGradients {
                let input = audio.reshaped([1, 1, audio.shape[1]])
                    .padded(alongAxis: 2, before: 0, after: samples.count - audio.shape[1])
                return encodeLatents(input, count: count).codes
            }
            let offset = window.computed.lowerBound
            pieces.append(CodecAudio.frames(codes, (window.kept.lowerBound - offset)..<(window.kept.upperBound - offset)))
        }
        let codes = CodecAudio.joinedFrames(pieces, codebookCount: count)
        return EncodedAudio(codes: codes.reshaped([1] + codes.shape), scales: nil, sampleCount: sampleCount, bandwidth: offered)
    }

    public func decode(_ encoded: EncodedAudio, writing write: (Tensor) throws -> Void) throws {
        try CodecAudio.validate(encoded, codebookSize: codebookSize, maximumCodebookCount: maximumCodebookCount)
        let needed = (encoded.sampleCount + hopLength - 1) / hopLength
        guard encoded.chunkCount == 1, encoded.frameCount == needed else {
            throw CodecError.badCodes("\(encoded.sampleCount) samples need 1 chunk of \(needed) frames, the codes have \(encoded.chunkCount) of \(encoded.frameCount)")
        }
        let codes = CodecAudio.chunk(encoded.codes, 0)
        for window in windows(frameCount: encoded.frameCount) {
            let audio = withoutGradients { decodeCodes(CodecAudio.frames(codes, window.computed)) }
            let start = (window.kept.lowerBound - window.computed.lowerBound) * hopLength
            let end = min(start + window.kept.count * hopLength, encoded.sampleCount - window.kept.lowerBound * hopLength + start)
            try write(audio.sliced(alongAxis: 2, start: start, end: end).reshaped([1, end - start]))
        }
    }
}
