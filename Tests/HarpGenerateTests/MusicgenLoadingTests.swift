import Foundation
import HarpGenerate
import HarpTensor
import Testing

/// The loader on real folder layouts: a sharded checkpoint loads to the same model as the single
/// file; a missing shard, a missing or malformed config, a missing or mis-shaped tensor are each
/// one clear error.
@Suite struct MusicgenLoadingTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("harp-musicgen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["config.json", "generation_config.json"] {
            try FileManager.default.copyItem(at: OracleFolder.url.appendingPathComponent(name),
                                             to: folder.appendingPathComponent(name))
        }
    }

    /// Splits the oracle's weights into two shards with an index.
    private func writeShards(skipping skipped: String? = nil) throws {
        let tensors = try SafeTensorsFile(contentsOf: OracleFolder.url.appendingPathComponent("model.safetensors")).tensors()
        var shards: [String: [String: Tensor]] = ["model-00001-of-00002.safetensors": [:], "model-00002-of-00002.safetensors": [:]]
        var map: [String: String] = [:]
        for (name, tensor) in tensors {
            let shard = name.hasPrefix("decoder.") ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors"
            shards[shard]![name] = tensor
            map[name] = shard
        }
        for (shard, contents) in shards where shard != skipped {
            try SafeTensors.write(contents, to: folder.appendingPathComponent(shard))
        }
        let index = try JSONSerialization.data(withJSONObject: ["metadata": [:], "weight_map": map])
        try index.write(to: folder.appendingPathComponent("model.safetensors.index.json"))
    }

    private func expectError(_ expected: GenerateError, mentioning words: String) {
        do {
            _ = try MusicgenModel.load(folder: folder)
            Issue.record("loaded, expected \(expected)")
        } catch {
            #expect(error == expected)
            #expect(error.description.contains(words), "\(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func shardedCheckpointGivesTheSameLogits() throws {
        try writeShards()
        let io = try OracleFolder.io()
        let ids = try io.integerTensor(named: "input_ids"), mask = try io.integerTensor(named: "attention_mask")
        let tokens = try io.integerTensor(named: "decoder_input_ids")
        let sharded = try MusicgenModel.load(folder: folder)
        let single = try MusicgenModel.load(folder: OracleFolder.url)
        let a = withoutGradients { sharded.logits(ids: ids, mask: mask, decoderTokens: tokens) }
        let b = withoutGradients { single.logits(ids: ids, mask: mask, decoderTokens: tokens) }
        #expect(a.scalars == b.scalars)
    }

    @Test func missingShardIsNamed() throws {
        try writeShards(skipping: "model-00002-of-00002.safetensors")
        expectError(.missingFile(folder: folder.path, file: "model-00002-of-00002.safetensors (a shard listed in model.safetensors.index.json)"),
                    mentioning: "model-00002-of-00002.safetensors")
    }

    @Test func missingWeightsAreNamed() {
        expectError(.missingFile(folder: folder.path, file: "model.safetensors or model.safetensors.index.json"),
                    mentioning: "model.safetensors")
    }

    @Test func missingTensorIsNamed() throws {
        var tensors = try SafeTensorsFile(contentsOf: OracleFolder.url.appendingPathComponent("model.safetensors")).tensors()
        tensors["decoder.lm_heads.3.weight"] = nil
        try SafeTensors.write(tensors, to: folder.appendingPathComponent("model.safetensors"))
        expectError(.missingTensor("decoder.lm_heads.3.weight"), mentioning: "decoder.lm_heads.3.weight")
    }

    @Test func configurationWithoutADecoderIsOneLine() throws {
        try Data("{\"text_encoder\": {}}".utf8).write(to: folder.appendingPathComponent("config.json"))
        do {
            _ = try MusicgenModel.load(folder: folder)
            Issue.record("loaded a config without a decoder")
        } catch {
            guard case .malformedConfiguration(file: "config.json", _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
    }

    @Test func configurationThatIsNotJSONIsOneLine() throws {
        try Data("not json".utf8).write(to: folder.appendingPathComponent("config.json"))
        expectError(.malformedConfiguration(file: "config.json", reason: "not valid JSON"), mentioning: "config.json")
    }
}
