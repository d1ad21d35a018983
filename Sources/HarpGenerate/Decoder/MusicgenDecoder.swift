import HarpTensor

/// The MusicGen decoder LM (`transformers` `MusicgenForCausalLM`): the sum of one embedding per
/// codebook, sinusoidal positions, pre-LN layers with self- and cross-attention, a final
/// LayerNorm, and one linear head per codebook (run as one stacked product).
///
/// Shapes: tokens `[batch, codebooks, steps]` → logits `[batch, codebooks, steps, vocab]`.
public final class MusicgenDecoder {
    public let configuration: MusicgenDecoderConfiguration
    /// Per codebook `[vocab + 1, hidden]` (row `vocab` is BOS / pad).
    let embeddings: [Tensor]
    let layers: [MusicgenDecoderLayer]
    let finalNorm: (weight: Tensor, bias: Tensor)
    /// The LM heads stacked: `[hidden] → [codebooks · vocab]`.
    let heads: Projection

    init(configuration: MusicgenDecoderConfiguration, embeddings: [Tensor], layers: [MusicgenDecoderLayer],
         finalNorm: (weight: Tensor, bias: Tensor), heads: Projection) {
        self.configuration = configuration
        self.embeddings = embeddings
        self.layers = layers
        self.finalNorm = finalNorm
        self.heads = heads
    }

    /// A cache for `batch` sequences of up to `capacity` positions.
    public func makeCache(batch: Int, capacity: Int) -> KeyValueCache {
        KeyValueCache(layerCount: layers.count, batch: batch, capacity: capacity, width: configuration.hiddenSize)
    }

    /// The cross-attention keys and values of `conditioning [batch, textLength, hidden]` (already
    /// projected and multiplied by the mask), with `mask [batch, textLength]` (1 = token).
    public func memory(conditioning: Tensor, mask: IntTensor) -> CrossAttentionMemory {
        CrossAttentionMemory(keys: layers.map { $0.crossKey(conditioning) },
                             values: layers.map { $0.crossValue(conditioning) },
                             bias: T5Encoder.paddingBias(mask))
    }

    /// Logits `[batch, codebooks, steps, vocab]` for `tokens [batch, codebooks, steps]` at the
    /// positions after those in `cache`, which then holds them too.
    public func callAsFunction(_ tokens: IntTensor, cache: KeyValueCache, memory: CrossAttentionMemory) -> Tensor {
        let c = configuration
        precondition(tokens.rank == 3 && tokens.shape[1] == c.codebookCount, "decoder: tokens \(tokens.shape)")
        let (batch, steps) = (tokens.shape[0], tokens.shape[2])
        var x = embedded(tokens) + SinusoidalPositions.table(start: cache.length, count: steps, dimension: c.hiddenSize)
        for (index, layer) in layers.enumerated() {
            x = layer(x, layer: index, cache: cache, memory: memory)
        }
        cache.advance(by: steps)
        x = x.layerNorm(normalizedShape: [c.hiddenSize], weight: finalNorm.weight, bias: finalNorm.bias, epsilon: 1e-5)
        return heads(x).reshaped([batch, steps, c.codebookCount, c.vocabSize]).permuted(0, 2, 1, 3)
    }

    /// `Σₖ embeddingₖ[tokens[:, k, :]]`, `[batch, steps, hidden]`.
    private func embedded(_ tokens: IntTensor) -> Tensor {
        let (batch, codebooks, steps) = (tokens.shape[0], tokens.shape[1], tokens.shape[2])
        var sum: Tensor? = nil
        for k in 0..<codebooks {
            var indices: [Int] = []
            indices.reserveCapacity(batch * steps)
            for b in 0..<batch {
                for t in 0..<steps { indices.append(Int(tokens[b, k, t])) }
            }
            let rows = embeddings[k].gathered(indices: indices, alongAxis: 0)
            sum = sum.map { $0 + rows } ?? rows
        }
        return sum!.reshaped([batch, steps, configuration.hiddenSize])
    }
}
