import HarpNN
import HarpTensor

/// One pre-LN MusicGen decoder layer with autograd, its parameters named as `transformers`
/// names them (`self_attn.q_proj.weight`, `encoder_attn_layer_norm.bias`, `fc1.weight`, …).
final class TrainableMusicgenDecoderLayer: Module {
    @Keyed("self_attn") var selfAttention: TrainableMusicgenAttention
    @Keyed("self_attn_layer_norm") var selfAttentionNorm: LayerNorm
    @Keyed("encoder_attn") var crossAttention: TrainableMusicgenAttention
    @Keyed("encoder_attn_layer_norm") var crossAttentionNorm: LayerNorm
    @Keyed("fc1") var feedForwardIn: Linear
    @Keyed("fc2") var feedForwardOut: Linear
    @Keyed("final_layer_norm") var finalNorm: LayerNorm

    init(_ c: GeneratorModelConfiguration, generator: inout RandomGenerator) {
        let selfAttention = TrainableMusicgenAttention(width: c.hiddenSize, headCount: c.headCount, generator: &generator)
        let crossAttention = TrainableMusicgenAttention(width: c.hiddenSize, headCount: c.headCount, generator: &generator)
        let feedForwardIn = TrainableMusicgen.linear(c.hiddenSize, c.feedForwardDimension, bias: false, &generator)
        let feedForwardOut = TrainableMusicgen.linear(c.feedForwardDimension, c.hiddenSize, bias: false, &generator)
        super.init()
        self.selfAttention = selfAttention
        selfAttentionNorm = LayerNorm(c.hiddenSize)
        self.crossAttention = crossAttention
        crossAttentionNorm = LayerNorm(c.hiddenSize)
        self.feedForwardIn = feedForwardIn
        self.feedForwardOut = feedForwardOut
        finalNorm = LayerNorm(c.hiddenSize)
    }

    /// `x [batch, steps, hidden]`, `memory [batch, textLength, hidden]` with its padding bias.
    func callAsFunction(_ x: Tensor, memory: Tensor, bias: Tensor) -> Tensor {
        var h = x + selfAttention(selfAttentionNorm(x))
        h = h + crossAttention(crossAttentionNorm(h), source: memory, bias: bias)
        return h + feedForwardOut(feedForwardIn(finalNorm(h)).gelu())
    }
}
