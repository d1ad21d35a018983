import Foundation
import HarpTensor

/// A BERT encoder (`transformers` `BertModel` without the pooler): word + absolute position +
/// token-type-0 embeddings, layer-normalised, then post-LN layers.
///
/// Shapes: ids and mask `[batch, length]` (mask 1 = token) → hidden states `[batch, length, hidden]`.
public final class BertEncoder {
    public let configuration: BertConfiguration
    let wordEmbeddings: Tensor, positionEmbeddings: Tensor, typeEmbeddings: Tensor
    let embeddingNorm: (weight: Tensor, bias: Tensor)
    let layers: [BertLayer]

    init(configuration: BertConfiguration, wordEmbeddings: Tensor, positionEmbeddings: Tensor, typeEmbeddings: Tensor,
         embeddingNorm: (weight: Tensor, bias: Tensor), layers: [BertLayer]) {
        self.configuration = configuration
        self.wordEmbeddings = wordEmbeddings
        self.positionEmbeddings = positionEmbeddings
        self.typeEmbeddings = typeEmbeddings
        self.embeddingNorm = embeddingNorm
        self.layers = layers
    }

    public func callAsFunction(ids: IntTensor, mask: IntTensor) -> Tensor {
        let c = configuration
        let (batch, length) = (ids.shape[0], ids.shape[1])
        precondition(mask.shape == ids.shape && length <= c.maximumPositionCount, "BERT: ids \(ids.shape), mask \(mask.shape)")
        let words = wordEmbeddings.gathered(indices: ids.scalars.map { Int($0) }, alongAxis: 0).reshaped([batch, length, c.hiddenSize])
        let positions = positionEmbeddings.sliced(alongAxis: 0, start: 0, end: length).unsqueezed(axis: 0)
        let type0 = typeEmbeddings.sliced(alongAxis: 0, start: 0, end: 1)
        var x = (words + positions + type0).layerNorm(normalizedShape: [c.hiddenSize], weight: embeddingNorm.weight,
                                                      bias: embeddingNorm.bias, epsilon: c.layerNormEpsilon)
        // transformers masks padded keys with the most negative Float.
        let bias = Tensor(shape: [batch, 1, 1, length], values: mask.scalars.map { $0 != 0 ? 0 : -Float.greatestFiniteMagnitude })
        for layer in layers { x = layer(x, bias: bias) }
        return x
    }
}

extension BertEncoder {
    /// The encoder from `config.json` and `model.safetensors` in `folder` (names as `BertModel`
    /// saves them, with or without a `bert.` prefix).
    public static func load(folder: URL) throws(TokenizerError) -> BertEncoder {
        let configURL = folder.appendingPathComponent("config.json")
        let configuration: BertConfiguration
        do {
            configuration = try JSONDecoder().decode(BertConfiguration.self, from: Data(SentencePieceTokenizer.contents(of: configURL)))
        } catch let error as TokenizerError {
            throw error
        } catch {
            throw .malformed(file: configURL.path, reason: "not a BERT config.json (\(error))")
        }
        if let problem = configuration.problem() { throw .unsupported(file: configURL.path, what: problem) }
        let weightsURL = folder.appendingPathComponent("model.safetensors")
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(contentsOf: weightsURL) } catch {
            throw .malformed(file: weightsURL.path, reason: "\(error)")
        }
        let prefix = file.names.contains("bert.embeddings.word_embeddings.weight") ? "bert." : ""
        let c = configuration
        func tensor(_ name: String, _ shape: [Int]) throws(TokenizerError) -> Tensor {
            let t: Tensor
            do { t = try file.tensor(named: prefix + name) } catch {
                throw .malformed(file: weightsURL.path, reason: "no tensor \(prefix + name)")
            }
            guard t.shape == shape else {
                throw .malformed(file: weightsURL.path, reason: "\(prefix + name) has shape \(t.shape), config implies \(shape)")
            }
            return t
        }
        func dense(_ name: String, _ input: Int, _ output: Int) throws(TokenizerError) -> Dense {
            Dense(weight: try tensor(name + ".weight", [output, input]), bias: try tensor(name + ".bias", [output]))
        }
        func norm(_ name: String) throws(TokenizerError) -> (weight: Tensor, bias: Tensor) {
            (try tensor(name + ".weight", [c.hiddenSize]), try tensor(name + ".bias", [c.hiddenSize]))
        }
        var layers: [BertLayer] = []
        for i in 0..<c.layerCount {
            let p = "encoder.layer.\(i)."
            layers.append(BertLayer(
                configuration: c,
                query: try dense(p + "attention.self.query", c.hiddenSize, c.hiddenSize),
                key: try dense(p + "attention.self.key", c.hiddenSize, c.hiddenSize),
                value: try dense(p + "attention.self.value", c.hiddenSize, c.hiddenSize),
                attentionOutput: try dense(p + "attention.output.dense", c.hiddenSize, c.hiddenSize),
                attentionNorm: try norm(p + "attention.output.LayerNorm"),
                intermediate: try dense(p + "intermediate.dense", c.hiddenSize, c.intermediateSize),
                output: try dense(p + "output.dense", c.intermediateSize, c.hiddenSize),
                outputNorm: try norm(p + "output.LayerNorm")))
        }
        return BertEncoder(configuration: c,
                           wordEmbeddings: try tensor("embeddings.word_embeddings.weight", [c.vocabSize, c.hiddenSize]),
                           positionEmbeddings: try tensor("embeddings.position_embeddings.weight", [c.maximumPositionCount, c.hiddenSize]),
                           typeEmbeddings: try tensor("embeddings.token_type_embeddings.weight", [c.typeVocabSize, c.hiddenSize]),
                           embeddingNorm: try norm("embeddings.LayerNorm"), layers: layers)
    }
}
