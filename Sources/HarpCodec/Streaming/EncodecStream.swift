import HarpTensor

/// Encodes audio with a whole-file EnCodec model (24 kHz causal, 32 kHz) block by block: each
/// `push` returns the code frames the new samples complete, and the frames all pushes and
/// `finish()` return equal one whole-file `encode` (within fp32 rounding). Memory is bounded by
/// the block size. For the causal model the algorithmic latency is one hop (320 samples,
/// 13.3 ms at 24 kHz); centred (non-causal) convolutions add their lookahead.
///
/// The convolutions keep their context, the (unidirectional) LSTMs their `(h, c)`, and the end
/// of the input gets the same right padding as a whole file.
public final class EncodecEncoderStream {
    public let codebookCount: Int
    /// Samples pushed so far.
    public private(set) var sampleCount = 0
    private let model: EncodecModel
    private var stack: StreamingEncodecStack

    init(model: EncodecModel, codebookCount: Int) {
        self.model = model
        self.codebookCount = codebookCount
        stack = StreamingEncodecStack(model.encoder)
    }

    /// Codes `[codebookCount, frames]` completed by `audio [channels, samples]` (frames may be 0).
    public func push(_ audio: Tensor) throws -> IntTensor {
        guard audio.rank == 2, audio.shape[0] == model.channelCount else {
            throw CodecError.badAudio("expected [\(model.channelCount), samples], got \(audio.shape)")
        }
        sampleCount += audio.shape[1]
        return withoutGradients { quantized(stack.push(audio.reshaped([1] + audio.shape))) }
    }

    /// The last code frames, once the input has ended.
    public func finish() -> IntTensor {
        withoutGradients { quantized(stack.finish()) }
    }

    private func quantized(_ embeddings: Tensor) -> IntTensor {
        guard embeddings.shape[2] > 0 else { return IntTensor(repeating: 0, shape: [codebookCount, 0]) }
        return model.quantizer.encode(embeddings.reshaped(Array(embeddings.shape.dropFirst())), count: codebookCount)
    }
}

/// Decodes codes with a whole-file EnCodec model frame block by frame block: each `push` returns
/// the samples the new frames complete (`frames · hop` for the causal model; the lookahead of
/// centred convolutions is held back until later frames or `finish()`), equal (within fp32
/// rounding) to the matching part of a whole-file `decode`.
public final class EncodecDecoderStream {
    private let model: EncodecModel
    private var stack: StreamingEncodecStack

    init(model: EncodecModel) {
        self.model = model
        stack = StreamingEncodecStack(model.decoder)
    }

    /// Audio `[channels, frames · hop]` for codes `[codebooks, frames]`.
    public func push(_ codes: IntTensor) throws -> Tensor {
        let wrapped = EncodedAudio(codes: codes.reshaped([1] + codes.shape), scales: nil,
                                   sampleCount: max(1, codes.shape.last! * model.hopLength), bandwidth: 0)
        if codes.shape.last! > 0 {
            try CodecAudio.validate(wrapped, codebookSize: model.codebookSize, maximumCodebookCount: model.maximumCodebookCount)
        }
        return withoutGradients {
            guard codes.shape[1] > 0 else { return Tensor.zeros([model.channelCount, 0]) }
            let embeddings = model.quantizer.decode(codes)
            return flattened(stack.push(embeddings.reshaped([1] + embeddings.shape)))
        }
    }

    /// Audio still held back once the codes have ended (empty for the causal model).
    public func finish() -> Tensor {
        withoutGradients { flattened(stack.finish()) }
    }

    private func flattened(_ audio: Tensor) -> Tensor {
        audio.shape[2] == 0 ? Tensor.zeros([model.channelCount, 0]) : audio.reshaped([model.channelCount, audio.shape[2]])
    }
}

extension EncodecModel {
    /// Whether the model runs as a stream: weight-normed (no `time_group_norm` over whole
    /// chunks) and not chunked. The 48 kHz model streams chunk by chunk instead.
    public var isStreamable: Bool {
        configuration.normType == "weight_norm" && configuration.chunkLength == nil
    }

    /// A block-by-block encoder at `bandwidth` (kbit/s; `nil` for the highest).
    public func encoderStream(bandwidth: Double?) throws -> EncodecEncoderStream {
        guard isStreamable else { throw CodecError.unsupportedConfiguration("\(identity.name) normalises whole chunks; it does not stream") }
        return EncodecEncoderStream(model: self, codebookCount: try codebookCount(bandwidth: bandwidth).count)
    }

    /// A block-by-block decoder.
    public func decoderStream() throws -> EncodecDecoderStream {
        guard isStreamable else { throw CodecError.unsupportedConfiguration("\(identity.name) normalises whole chunks; it does not stream") }
        return EncodecDecoderStream(model: self)
    }
}
