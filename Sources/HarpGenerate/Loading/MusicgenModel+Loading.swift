import Foundation
import HarpCodec
import HarpTensor
import HarpText

// Building MusicGen from a `transformers` folder, one explicit key rule per part.
// ref: huggingface/transformers `models/musicgen/modeling_musicgen.py`, `models/t5/modeling_t5.py`
// (the weight names are the module paths there).

/// Makes the audio codec from the `audio_encoder` configuration (JSON bytes of an EnCodec
/// `config.json`) and its weights (the `audio_encoder.` prefix removed).
public typealias AudioCodecFactory = (_ configurationJSON: Data, _ weights: [String: Tensor]) throws -> any NeuralCodec

extension MusicgenModel {
    public static let configurationFileName = "config.json"
    public static let generationConfigurationFileName = "generation_config.json"

    /// Loads the model in `folder`: `config.json`, `model.safetensors` (or shards with
    /// `model.safetensors.index.json`) and, when present, `generation_config.json`.
    ///
    /// - Parameter codecFactory: builds the audio codec from the checkpoint's `audio_encoder.*`
    ///   weights; `nil` loads no codec (codes only).
    ///
    /// A Harp generator folder (`config.json` with a `harp` object) holds only the decoder and
    /// `enc_to_dec_proj`: its text encoder is MiniLM (from `sentenceEncoderFolder`, else
    /// `MiniLMLocation`) and its codec the bundled one (`BundledCodec`, when `codecFactory` asks
    /// for a codec at all).
    public static func load(folder: URL, codecFactory: AudioCodecFactory? = nil,
                            sentenceEncoderFolder: URL? = nil) throws(GenerateError) -> MusicgenModel {
        let configuration = try MusicgenConfiguration(json: try read(configurationFileName, in: folder, required: true)!)
        var generation = GenerationConfiguration()
        if let data = try read(generationConfigurationFileName, in: folder, required: false) {
            generation = try ConfigurationDecoding.decode(data, file: generationConfigurationFileName)
        }
        let weights = try CheckpointWeights(folder: folder)
        let text: TextConditioner
        if let t5 = configuration.textEncoder {
            text = .t5(try textEncoder(t5, weights))
        } else {
            text = .sentence(try sentenceEncoder(folder: sentenceEncoderFolder, width: configuration.textWidth))
        }
        let model = MusicgenModel(configuration: configuration, generationConfiguration: generation, text: text,
                                  textProjection: try textProjection(configuration, weights),
                                  decoder: try decoder(configuration.decoder, weights))
        if codecFactory != nil, configuration.components != nil {
            do { model.audioCodec = try BundledCodec.load() } catch { throw .codec("\(error)") }
        } else if let codecFactory {
            do {
                model.audioCodec = try codecFactory(configuration.audioEncoderJSON, try weights.tensors(prefixed: "audio_encoder."))
            } catch let error as GenerateError {
                throw error
            } catch {
                throw .codec("\(error)")
            }
        }
        return model
    }

    /// The folder's `config.json` alone (to tell a Harp generator from a `transformers` folder
    /// before any weight is read).
    public static func configuration(folder: URL) throws(GenerateError) -> MusicgenConfiguration {
        try MusicgenConfiguration(json: try read(configurationFileName, in: folder, required: true)!)
    }

    private static func read(_ name: String, in folder: URL, required: Bool) throws(GenerateError) -> Data? {
        let url = folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            if required { throw .missingFile(folder: folder.path, file: name) }
            return nil
        }
        guard let data = try? Data(contentsOf: url) else { throw .malformedConfiguration(file: name, reason: "cannot be read") }
        return data
    }

    /// `text_encoder.*`: the shared embedding (tied; written as `shared` or `encoder.embed_tokens`),
    /// blocks, block 0's relative attention bias, the final norm.
    static func textEncoder(_ c: T5Configuration, _ w: CheckpointWeights) throws(GenerateError) -> T5Encoder {
        let p = "text_encoder."
        let (d, inner) = (c.modelDimension, c.innerDimension)
        var blocks: [T5Block] = []
        for i in 0..<c.layerCount {
            let b = p + "encoder.block.\(i)."
            let attention = b + "layer.0.SelfAttention."
            let ff = b + "layer.1.DenseReluDense."
            let gated = c.isGated
            blocks.append(T5Block(
                configuration: c,
                attentionNorm: try w.tensor(b + "layer.0.layer_norm.weight", shape: [d]),
                query: try w.projection(attention + "q", input: d, output: inner),
                key: try w.projection(attention + "k", input: d, output: inner),
                value: try w.projection(attention + "v", input: d, output: inner),
                output: try w.projection(attention + "o", input: inner, output: d),
                feedForwardNorm: try w.tensor(b + "layer.1.layer_norm.weight", shape: [d]),
                feedForwardIn: try w.projection(ff + (gated ? "wi_0" : "wi"), input: d, output: c.feedForwardDimension),
                feedForwardGate: gated ? try w.projection(ff + "wi_1", input: d, output: c.feedForwardDimension) : nil,
                feedForwardOut: try w.projection(ff + "wo", input: c.feedForwardDimension, output: d)))
        }
        return T5Encoder(
            configuration: c,
            embedding: try w.tensor(anyOf: [p + "shared.weight", p + "encoder.embed_tokens.weight"], shape: [c.vocabSize, d]),
            relativeAttentionBias: try w.tensor(p + "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
                                                shape: [c.relativeAttentionBucketCount, c.headCount]),
            blocks: blocks,
            finalNorm: try w.tensor(p + "encoder.final_layer_norm.weight", shape: [d]))
    }

    /// MiniLM for a Harp generator, checked to give states of the width the decoder was trained on.
    static func sentenceEncoder(folder: URL?, width: Int) throws(GenerateError) -> SentenceEncoder {
        let encoder: SentenceEncoder
        do { encoder = try MiniLMLocation.load(folder: folder) } catch { throw .textEncoder(error.description) }
        guard encoder.encoder.configuration.hiddenSize == width else {
            throw .textEncoder("the sentence encoder gives \(encoder.encoder.configuration.hiddenSize)-wide states; the generator takes \(width)")
        }
        return encoder
    }

    /// `enc_to_dec_proj` when the widths differ (as in every published model).
    static func textProjection(_ c: MusicgenConfiguration, _ w: CheckpointWeights) throws(GenerateError) -> Projection? {
        guard c.textWidth != c.decoder.hiddenSize else { return nil }
        return try w.projection("enc_to_dec_proj", input: c.textWidth, output: c.decoder.hiddenSize, bias: true)
    }

    /// `decoder.model.decoder.*` and `decoder.lm_heads.*`.
    static func decoder(_ c: MusicgenDecoderConfiguration, _ w: CheckpointWeights) throws(GenerateError) -> MusicgenDecoder {
        let p = "decoder.model.decoder."
        let h = c.hiddenSize
        func norm(_ prefix: String) throws(GenerateError) -> (weight: Tensor, bias: Tensor) {
            (try w.tensor(prefix + ".weight", shape: [h]), try w.tensor(prefix + ".bias", shape: [h]))
        }
        var layers: [MusicgenDecoderLayer] = []
        for i in 0..<c.layerCount {
            let l = p + "layers.\(i)."
            layers.append(MusicgenDecoderLayer(
                headCount: c.headCount,
                selfAttentionNorm: try norm(l + "self_attn_layer_norm"),
                selfQuery: try w.projection(l + "self_attn.q_proj", input: h, output: h),
                selfKey: try w.projection(l + "self_attn.k_proj", input: h, output: h),
                selfValue: try w.projection(l + "self_attn.v_proj", input: h, output: h),
                selfOutput: try w.projection(l + "self_attn.out_proj", input: h, output: h),
                crossAttentionNorm: try norm(l + "encoder_attn_layer_norm"),
                crossQuery: try w.projection(l + "encoder_attn.q_proj", input: h, output: h),
                crossKey: try w.projection(l + "encoder_attn.k_proj", input: h, output: h),
                crossValue: try w.projection(l + "encoder_attn.v_proj", input: h, output: h),
                crossOutput: try w.projection(l + "encoder_attn.out_proj", input: h, output: h),
                finalNorm: try norm(l + "final_layer_norm"),
                feedForwardIn: try w.projection(l + "fc1", input: h, output: c.feedForwardDimension),
                feedForwardOut: try w.projection(l + "fc2", input: c.feedForwardDimension, output: h)))
        }
        var embeddings: [Tensor] = []
        var heads: [Projection] = []
        for k in 0..<c.codebookCount {
            embeddings.append(try w.tensor(p + "embed_tokens.\(k).weight", shape: [c.vocabSize + 1, h]))
            heads.append(try w.projection("decoder.lm_heads.\(k)", input: h, output: c.vocabSize))
        }
        return MusicgenDecoder(configuration: c, embeddings: embeddings, layers: layers,
                               finalNorm: try norm(p + "layer_norm"), heads: Projection(stacking: heads))
    }
}
