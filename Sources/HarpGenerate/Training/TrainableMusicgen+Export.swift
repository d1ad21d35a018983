import Foundation
import HarpCodec
import HarpTensor

extension TrainableMusicgen {
    /// Writes a generator folder `MusicgenModel.load` reads: `config.json` (a MusicGen config whose
    /// `harp` object names MiniLM and the bundled codec; `audio_encoder` is the bundled codec's
    /// EnCodec config, `text_encoder` MiniLM's BERT sizes), `generation_config.json` (sampling
    /// defaults) and `model.safetensors` (this state dict: `enc_to_dec_proj.*`, `decoder.*`).
    /// Each file is written to a temporary name and renamed.
    public func export(to folder: URL, components: GeneratorComponents, generation: GenerationConfiguration) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let c = configuration
        var audio: [String: Any] = ["model_type": "encodec", "sampling_rate": 24000, "upsampling_ratios": [8, 5, 4, 2]]
        if let codec = BundledCodec.folderURL,
           let data = try? Data(contentsOf: codec.appendingPathComponent(CodecLoader.configurationFileName)),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            audio = object
        }
        let config: [String: Any] = [
            "model_type": "musicgen", "architectures": ["MusicgenForConditionalGeneration"],
            "harp": ["format_version": components.formatVersion, "text_encoder": components.textEncoder,
                     "text_conditioning": components.textConditioning, "audio_codec": components.audioCodec,
                     "bandwidth": components.bandwidth],
            "text_encoder": ["model_type": "bert", "hidden_size": c.textWidth,
                             "_name_or_path": "sentence-transformers/\(components.textEncoder)"],
            "audio_encoder": audio,
            "decoder": c.decoderJSON,
        ]
        try Self.writeJSON(config, to: folder.appendingPathComponent(MusicgenModel.configurationFileName))
        var generationJSON: [String: Any] = ["decoder_start_token_id": c.vocabSize, "pad_token_id": c.vocabSize,
                                             "do_sample": generation.doSample]
        if let k = generation.topK { generationJSON["top_k"] = k }
        if let p = generation.topP { generationJSON["top_p"] = p }
        if let t = generation.temperature { generationJSON["temperature"] = t }
        if let g = generation.guidanceScale { generationJSON["guidance_scale"] = g }
        try Self.writeJSON(generationJSON, to: folder.appendingPathComponent(MusicgenModel.generationConfigurationFileName))
        try SafeTensors.write(stateDict(), metadata: ["format": "pt"], to: folder.appendingPathComponent(CheckpointWeights.singleFileName))
    }

    private static func writeJSON(_ object: [String: Any], to url: URL) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: url, options: .atomic)
    }
}
