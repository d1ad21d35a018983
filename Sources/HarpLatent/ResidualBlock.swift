import HarpNN
import HarpTensor

/// The reference's `ResBlock` (keys `norm1`, `conv1`, `proj_emb`, `norm2`, `conv2`, `res_conv`,
/// `att`), 2-D or 1-D, kernel 3:
///
///     h = conv1(SiLU(norm1(x))) [+ proj_emb(embedding)];  h = conv2(SiLU(norm2(h)))
///     y = h + res_conv(x)  (identity when the widths agree);  y = att(y) when attention is on
///
/// `proj_emb` exists whenever the reference built the block with `cond_channels`, even where it
/// is called without an embedding (the pyramid decoder's bottleneck); it is then unused.
final class ResidualBlock: Module, SpectrogramLayer {
    let norm1: GroupNorm
    let conv1: Module
    @Keyed("proj_emb") var projection: Linear?
    let norm2: GroupNorm
    let conv2: Module
    @Keyed("res_conv") var shortcut: Module?
    @Keyed("att") var attention: FrequencyAttention?

    init(input: Int, output: Int, conditionChannels: Int?, attention: Bool, heads: Int, twoDimensional: Bool,
         generator: inout RandomGenerator) {
        func conv(_ i: Int, _ o: Int, _ k: Int) -> Module {
            twoDimensional ? sameConv2d(i, o, kernel: (k, k), generator: &generator)
                           : sameConv1d(i, o, kernel: k, generator: &generator)
        }
        norm1 = referenceGroupNorm(input)
        conv1 = conv(input, output, 3)
        norm2 = referenceGroupNorm(output)
        conv2 = conv(output, output, 3)
        super.init()
        projection = conditionChannels.map { Linear(inputCount: $0, outputCount: output, generator: &generator) }
        shortcut = input == output ? nil : conv(input, output, 1)
        self.attention = attention ? FrequencyAttention(channels: output, heads: heads, generator: &generator) : nil
    }

    func callAsFunction(_ input: Tensor, embedding: Tensor?) -> Tensor {
        var h = Self.apply(conv1, silu(norm1(input)))
        if let embedding, let projection {
            // [B, C] → [B, C, 1(, 1)] broadcast over the map.
            let shape = [h.shape[0], h.shape[1]] + [Int](repeating: 1, count: h.rank - 2)
            h = h + projection(embedding).reshaped(shape)
        }
        h = Self.apply(conv2, silu(norm2(h)))
        var output = h + (shortcut.map { Self.apply($0, input) } ?? input)
        if let attention { output = attention(output) }
        return output
    }

    private static func apply(_ conv: Module, _ x: Tensor) -> Tensor {
        switch conv {
        case let conv as Conv2d: return conv(x)
        case let conv as Conv1d: return conv(x)
        default: preconditionFailure("ResidualBlock: unexpected convolution \(type(of: conv))")
        }
    }
}
