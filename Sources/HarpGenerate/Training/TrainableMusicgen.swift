import Foundation
import HarpCodec
import HarpNN
import HarpTensor

/// Harp's generator LM with autograd: `enc_to_dec_proj` and the MusicGen decoder
/// (`MusicgenForCausalLM`), its parameters named as in a `transformers` MusicGen checkpoint
/// (`decoder.model.decoder.layers.0.self_attn.q_proj.weight`, `decoder.lm_heads.2.weight`, …), so
/// its state dict is the `model.safetensors` that `MusicgenModel.load` reads.
///
/// Shapes: tokens `[batch, codebooks, steps]` (delay-patterned, BOS first), text states
/// `[batch, textLength, textWidth]` with mask `[batch, textLength]` → logits
/// `[batch, codebooks, steps, vocab]`.
public final class TrainableMusicgen: Module {
    @Keyed("enc_to_dec_proj") var textProjection: Linear?
    @Keyed("decoder.model.decoder.embed_tokens") var embeddings: [Embedding]
    @Keyed("decoder.model.decoder.layers") var layers: [TrainableMusicgenDecoderLayer]
    @Keyed("decoder.model.decoder.layer_norm") var finalNorm: LayerNorm
    @Keyed("decoder.lm_heads") var heads: [Linear]
    public let configuration: GeneratorModelConfiguration

    /// Weights drawn as `transformers` initialises MusicGen: normal(0, 0.02) for linears and
    /// embeddings, zero biases, LayerNorms at identity.
    public init(configuration c: GeneratorModelConfiguration, generator: inout RandomGenerator) {
        configuration = c
        let projection = c.textWidth == c.hiddenSize ? nil : Self.linear(c.textWidth, c.hiddenSize, bias: true, &generator)
        let embeddings = (0..<c.codebookCount).map { _ in
            let embedding = Embedding(count: c.vocabSize + 1, dimension: c.hiddenSize, generator: &generator)
            embedding.weight = Self.normal([c.vocabSize + 1, c.hiddenSize], &generator)
            return embedding
        }
        let layers = (0..<c.layerCount).map { _ in TrainableMusicgenDecoderLayer(c, generator: &generator) }
        let heads = (0..<c.codebookCount).map { _ in Self.linear(c.hiddenSize, c.vocabSize, bias: false, &generator) }
        super.init()
        textProjection = projection
        self.embeddings = embeddings
        self.layers = layers
        finalNorm = LayerNorm(c.hiddenSize)
        self.heads = heads
    }

    /// The logits of every position (teacher forcing). Rows of `mask` that are all zero (the
    /// dropped, unconditional prompts) give zero conditioning, as guidance's unconditional half.
    public func callAsFunction(_ tokens: IntTensor, text: Tensor, mask: IntTensor) -> Tensor {
        let c = configuration
        precondition(tokens.rank == 3 && tokens.shape[1] == c.codebookCount, "generator: tokens \(tokens.shape)")
        let (batch, steps) = (tokens.shape[0], tokens.shape[2])
        let weights = Tensor(shape: [batch, mask.shape[1], 1], values: mask.scalars.map { Float($0) })
        let memory = (textProjection.map { $0(text) } ?? text) * weights
        let bias = T5Encoder.paddingBias(mask)
        var x = embedded(tokens) + SinusoidalPositions.table(start: 0, count: steps, dimension: c.hiddenSize)
        for layer in layers { x = layer(x, memory: memory, bias: bias) }
        x = finalNorm(x)
        let logits = Tensor.concatenated(heads.map { $0(x) }, alongAxis: 2)   // [batch, steps, codebooks·vocab]
        return logits.reshaped([batch, steps, c.codebookCount, c.vocabSize]).permuted(0, 2, 1, 3)
    }

    /// `Σₖ embed_tokens[k](tokens[:, k, :])`, `[batch, steps, hidden]`.
    private func embedded(_ tokens: IntTensor) -> Tensor {
        let (batch, codebooks, steps) = (tokens.shape[0], tokens.shape[1], tokens.shape[2])
        var sum: Tensor?
        for k in 0..<codebooks {
            var indices: [Int] = []
            indices.reserveCapacity(batch * steps)
            for b in 0..<batch {
                for t in 0..<steps { indices.append(Int(tokens[b, k, t])) }
            }
            let rows = embeddings[k](indices, shape: [batch, steps])
            sum = sum.map { $0 + rows } ?? rows
        }
        return sum!
    }

    static func linear(_ input: Int, _ output: Int, bias: Bool, _ generator: inout RandomGenerator) -> Linear {
        let layer = Linear(inputCount: input, outputCount: output, bias: bias, generator: &generator)
        layer.weight = normal([output, input], &generator)
        if bias { layer.bias = Tensor.zeros([output], requiresGradient: true) }
        return layer
    }

    static func normal(_ shape: [Int], _ generator: inout RandomGenerator) -> Tensor {
        Tensor.normal(shape, standardDeviation: 0.02, generator: &generator, requiresGradient: true)
    }
}
