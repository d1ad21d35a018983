import HarpNN
import HarpTensor

/// MusicGen's attention with autograd: `q_proj`, `k_proj`, `v_proj`, `out_proj`, no biases.
/// Inference runs the same weights through `MusicgenDecoderLayer` and its cache.
///
/// ref: huggingface/transformers `models/musicgen/modeling_musicgen.py` `MusicgenAttention`.
final class TrainableMusicgenAttention: Module {
    @Keyed("q_proj") var query: Linear
    @Keyed("k_proj") var key: Linear
    @Keyed("v_proj") var value: Linear
    @Keyed("out_proj") var output: Linear
    let headCount: Int

    init(width: Int, headCount: Int, generator: inout RandomGenerator) {
        let projections = (0..<4).map { _ in TrainableMusicgen.linear(width, width, bias: false, &generator) }
        self.headCount = headCount
        super.init()
        (query, key, value, output) = (projections[0], projections[1], projections[2], projections[3])
    }

    /// `x [batch, steps, width]` attending to `source [batch, keys, width]` (itself when `nil`,
    /// causally), with an additive `bias [batch, 1, 1, keys]`.
    func callAsFunction(_ x: Tensor, source: Tensor? = nil, bias: Tensor? = nil) -> Tensor {
        let memory = source ?? x
        let scale = 1 / Float(x.shape[2] / headCount).squareRoot()
        return output(scaledDotProductAttention(query: query(x), key: key(memory), value: value(memory),
                                                headCount: headCount, scale: scale, bias: bias, isCausal: source == nil))
    }
}
