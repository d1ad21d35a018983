import HarpTensor
import HarpText

/// What turns a prompt's token ids into the sequence the decoder cross-attends to.
public enum TextConditioner {
    /// T5's last hidden states, one per token (the published MusicGen models).
    case t5(T5Encoder)
    /// all-MiniLM-L6-v2's sentence embedding (token states mean-pooled over the mask, unit
    /// length), one state per prompt (Harp's generator; see docs/generate.md for why pooled).
    case sentence(SentenceEncoder)

    /// Token ids go below this.
    public var vocabularySize: Int {
        switch self {
        case .t5(let encoder): return encoder.configuration.vocabSize
        case .sentence(let encoder): return encoder.encoder.configuration.vocabSize
        }
    }

    /// The text states `[batch, length, width]` and the mask the decoder's cross-attention uses
    /// (`[batch, length]`, 1 = state): T5's per-token states and the ids' mask, or the pooled
    /// embedding as a sequence of one with a mask of ones.
    public func states(ids: IntTensor, mask: IntTensor) -> (states: Tensor, mask: IntTensor) {
        switch self {
        case .t5(let encoder):
            return (encoder(ids: ids, mask: mask), mask)
        case .sentence(let encoder):
            let batch = ids.shape[0]
            let pooled = encoder.embed(ids: ids, mask: mask)
            return (pooled.reshaped([batch, 1, pooled.shape[1]]), IntTensor(repeating: 1, shape: [batch, 1]))
        }
    }
}
