import HarpNN
import HarpTensor

/// Self-attention with a residual connection (the reference's `Attention`, keys `norm`, `mha`).
///
/// On 2-D maps `[batch, channels, frequency, time]` each time frame attends **along frequency**
/// (the sequence is the frequency rows); on 1-D maps `[batch, channels, time]` along time.
final class FrequencyAttention: Module {
    let norm: GroupNorm
    let mha: MultiHeadAttention

    init(channels: Int, heads: Int, generator: inout RandomGenerator) {
        norm = referenceGroupNorm(channels)
        mha = MultiHeadAttention(embedDimension: channels, headCount: heads, batchFirst: true, generator: &generator)
        super.init()
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        let normed = norm(input)
        if input.rank == 3 {
            let sequence = normed.permuted(0, 2, 1)
            return mha(query: sequence, key: sequence, value: sequence).permuted(0, 2, 1) + input
        }
        let (batch, channels, rows, frames) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        // [B, C, F, T] → [B·T, F, C]: one sequence of frequency rows per frame.
        let sequences = normed.permuted(0, 3, 2, 1).reshaped([batch * frames, rows, channels])
        let attended = mha(query: sequences, key: sequences, value: sequences)
        return attended.reshaped([batch, frames, rows, channels]).permuted(0, 3, 2, 1) + input
    }
}
