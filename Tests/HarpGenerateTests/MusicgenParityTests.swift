import Foundation
import HarpGenerate
import HarpTensor
import HarpTestSupport
import Testing

/// The model loaded through the real loader against `transformers`' outputs on the oracle
/// (tiny random MusicGen: T5 2×32, decoder 2×48, 4 codebooks of 64).
@Suite struct MusicgenParityTests {
    let model: MusicgenModel
    let io: SafeTensorsFile
    let ids: IntTensor
    let mask: IntTensor

    init() throws {
        model = try MusicgenModel.load(folder: OracleFolder.url)
        io = try OracleFolder.io()
        ids = try io.integerTensor(named: "input_ids")
        mask = try io.integerTensor(named: "attention_mask")
    }

    private func expectMatches(_ actual: Tensor, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let reference = try io.tensor(named: name)
        expectClose(actual, reference, relative: 0, absolute: oracleTolerance(reference), name, sourceLocation: sourceLocation)
    }

    @Test func t5PositionBiasMatchesReference() throws {
        let length = ids.shape[1]
        try expectMatches(model.textEncoder!.positionBias(queryLength: length, keyLength: length), "t5_position_bias")
    }

    @Test func textEncoderMatchesReference() throws {
        try expectMatches(withoutGradients { model.textEncoder!(ids: ids, mask: mask) }, "text_encoder_last_hidden_state")
    }

    @Test func projectedConditioningMatchesReference() throws {
        try expectMatches(withoutGradients { model.conditioning(ids: ids, mask: mask).states }, "encoder_hidden_states_projected")
    }

    @Test func teacherForcedLogitsMatchReference() throws {
        let tokens = try io.integerTensor(named: "decoder_input_ids")
        try expectMatches(withoutGradients { model.logits(ids: ids, mask: mask, decoderTokens: tokens) }, "logits")
    }

    @Test func delayPatternMatchesReference() throws {
        let steps = Int(try io.integerTensor(named: "gen_max_new_tokens").scalars[0])
        let pattern = DelayPattern(codebookCount: model.configuration.decoder.codebookCount, length: steps + 1,
                                   padTokenID: model.padTokenID)
        #expect(pattern.mask(rows: ids.shape[0]) == (try io.integerTensor(named: "delay_pattern_mask")))
    }

    @Test(arguments: ["nocfg", "cfg3"])
    func greedyGenerationGivesReferenceCodesAndScores(tag: String) throws {
        let steps = Int(try io.integerTensor(named: "gen_max_new_tokens").scalars[0])
        let guidance: Float? = tag == "cfg3" ? try io.tensor(named: "gen_guidance_scale").scalars[0] : nil
        let result = try model.generate(ids: ids, mask: mask,
                                        options: GenerationOptions(steps: steps, guidanceScale: guidance, keepScores: true))
        let reference = try io.integerTensor(named: "gen_\(tag)_codes")   // [1, batch, codebooks, frames]
        #expect(result.codes == reference.reshaped(Array(reference.shape.dropFirst())))
        try expectMatches(try #require(result.scores), "gen_\(tag)_scores")
    }

    /// The generated codes through the checkpoint's own EnCodec 32 kHz (`audio_encoder.*`).
    @Test(arguments: ["nocfg", "cfg3"])
    func generatedCodesDecodeToReferenceAudio(tag: String) throws {
        let withCodec = try MusicgenModel.load(folder: OracleFolder.url, codecFactory: MusicgenCodecs.factory)
        let codes = try io.integerTensor(named: "gen_\(tag)_codes")
        let audio = try withoutGradients { try withCodec.decodeAudio(codes.reshaped(Array(codes.shape.dropFirst()))) }
        try expectMatches(audio, "gen_\(tag)_audio_values")
        #expect(withCodec.audioCodec?.sampleRate == withCodec.configuration.sampleRate)
    }
}
