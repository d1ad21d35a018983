import HarpTensor

// Long audio in bounded memory for EnCodec: whole-file models run as streams (one second of
// audio or of frames per step), chunked models (48 kHz) one chunk at a time with the overlap-add
// emitting finished samples as it goes.

extension EncodecModel {
    /// Samples (encoding) or frames (decoding) handed to a stream per step: `blockSeconds`.
    var streamBlockSamples: Int { max(1, Int(blockSeconds * Double(sampleRate))) }
    var streamBlockFrames: Int { max(1, Int(blockSeconds * frameRate)) }

    public func encode(sampleCount: Int, bandwidth: Double?,
                       reading read: (Range<Int>) throws -> Tensor) throws -> EncodedAudio {
        guard sampleCount > 0 else { throw CodecError.badAudio("the audio is empty") }
        let (count, offered) = try codebookCount(bandwidth: bandwidth)
        if let layout = chunkLayout(sampleCount: sampleCount) {
            return try encodeChunks(layout, sampleCount: sampleCount, count: count, bandwidth: offered, read: read)
        }
        guard isStreamable else { return try encode(try read(0..<sampleCount), bandwidth: bandwidth) }
        let stream = EncodecEncoderStream(model: self, codebookCount: count)
        var pieces: [IntTensor] = []
        for start in stride(from: 0, to: sampleCount, by: streamBlockSamples) {
            let block = try read(start..<min(sampleCount, start + streamBlockSamples))
            try CodecAudio.validate(block, channelCount: channelCount)
            pieces.append(try stream.push(block))
        }
        pieces.append(stream.finish())
        let codes = CodecAudio.joinedFrames(pieces, codebookCount: count)
        return EncodedAudio(codes: codes.reshaped([1] + codes.shape), scales: nil, sampleCount: sampleCount, bandwidth: offered)
    }

    public func decode(_ encoded: EncodedAudio, writing write: (Tensor) throws -> Void) throws {
        var remaining = encoded.sampleCount
        /// Writes the part of `block` that lies before `sampleCount`.
        func emit(_ block: Tensor) throws {
            let kept = min(remaining, block.shape[1])
            guard kept > 0 else { return }
            try write(kept == block.shape[1] ? block : block.sliced(alongAxis: 1, end: kept))
            remaining -= kept
        }
        if let layout = chunkLayout(sampleCount: encoded.sampleCount) {
            try validateForDecoding(encoded)
            var adder = OverlapAdder(stride: layout.chunkStride, frameLength: layout.chunkLength, channelCount: channelCount)
            for (index, offset) in layout.offsets.enumerated() {
                var codes = CodecAudio.chunk(encoded.codes, index)
                if index == layout.offsets.count - 1 { codes = CodecAudio.prefixFrames(codes, layout.lastChunkFrames) }
                let chunk = withoutGradients { decodeFrame(codes, scale: encoded.scales?[index]).reshaped([channelCount, -1]) }
                try emit(withoutGradients { adder.add(chunk, at: offset) })
            }
            try emit(withoutGradients { adder.finish() })
            return
        }
        guard isStreamable else { return try write(try decode(encoded)) }
        try validateForDecoding(encoded)
        let stream = EncodecDecoderStream(model: self)
        let codes = CodecAudio.chunk(encoded.codes, 0)
        for start in stride(from: 0, to: encoded.frameCount, by: streamBlockFrames) {
            try emit(try stream.push(CodecAudio.frames(codes, start..<min(encoded.frameCount, start + streamBlockFrames))))
        }
        try emit(stream.finish())
    }

    private func encodeChunks(_ layout: ChunkLayout, sampleCount: Int, count: Int, bandwidth: Double,
                              read: (Range<Int>) throws -> Tensor) throws -> EncodedAudio {
        var codes: [Int32] = [], scales: [Float] = []
        for offset in layout.offsets {
            let end = min(offset + layout.chunkLength, layout.paddedLength)
            let available = offset < sampleCount ? try read(offset..<min(end, sampleCount)) : Tensor.zeros([channelCount, 0])
            if available.shape[1] > 0 { try CodecAudio.validate(available, channelCount: channelCount) }
            let chunk = available.padded(alongAxis: 1, before: 0, after: end - offset - available.shape[1])
            let (chunkCodes, scale) = withoutGradients { encodeFrame(chunk.reshaped([1] + chunk.shape), count: count) }
            codes += CodecAudio.rightPadded(chunkCodes, to: layout.framesPerChunk).scalars
            if let scale { scales.append(scale) }
        }
        return EncodedAudio(codes: IntTensor(shape: [layout.offsets.count, count, layout.framesPerChunk], scalars: codes),
                            scales: configuration.normalize ? scales : nil, sampleCount: sampleCount, bandwidth: bandwidth)
    }
}
