import Foundation
import HarpAudio
import HarpGenerate
import HarpTensor
import HarpTestSupport
import Testing

/// Prompted continuation (`harp generate --continue CLIP`) against `transformers`'
/// `generate(input_values:)` on the tiny oracle (tools/musicgen/make_continuation_fixture.py).
@Suite struct MusicgenContinuationTests {
    let model: MusicgenModel
    let io: SafeTensorsFile
    let reference: SafeTensorsFile
    static let folder = OracleFolder.fixtures.appendingPathComponent("continuation")

    init() throws {
        model = try MusicgenModel.load(folder: OracleFolder.url, codecFactory: MusicgenCodecs.factory)
        io = try OracleFolder.io()
        reference = try SafeTensorsFile(contentsOf: Self.folder.appendingPathComponent("continuation.safetensors"))
    }

    func clip() throws -> Tensor {
        let buffer = try AudioFileReader.readAll(path: Self.folder.appendingPathComponent("clip.wav").path)
        return Tensor(shape: [1, buffer.frameCount], values: buffer.samples)
    }

    /// The clip's codes equal EnCodec's in transformers (their smallest decision margin is 3e-2,
    /// far above fp32 noise, so equality is the right test).
    @Test func clipEncodesToReferencePromptCodes() throws {
        let prompt = try model.encodePrompt(clip())
        let expected = try reference.integerTensor(named: "prompt_codes")   // [batch, codebooks, frames]
        #expect(prompt.shape == [1] + Array(expected.shape.dropFirst()))
        #expect(prompt.scalars == Array(expected.scalars.prefix(prompt.count)))
    }

    @Test(arguments: ["nocfg", "cfg3"])
    func greedyContinuationGivesReferenceCodesAndScores(tag: String) throws {
        let steps = Int(try reference.integerTensor(named: "max_new_tokens").scalars[0])
        let guidance: Float? = tag == "cfg3" ? try reference.tensor(named: "guidance_scale").scalars[0] : nil
        let result = try model.generate(ids: io.integerTensor(named: "input_ids"), mask: io.integerTensor(named: "attention_mask"),
                                        prompt: model.encodePrompt(clip()),
                                        options: GenerationOptions(steps: steps, guidanceScale: guidance, keepScores: true))
        #expect(result.codes == (try reference.integerTensor(named: "cont_\(tag)_codes")))
        let scores = try reference.tensor(named: "cont_\(tag)_scores")
        expectClose(try #require(result.scores), scores, relative: 0, absolute: oracleTolerance(scores), "scores")
    }

    @Test func promptOfTheWrongShapeIsOneError() throws {
        let ids = try io.integerTensor(named: "input_ids"), mask = try io.integerTensor(named: "attention_mask")
        let wrong = IntTensor(repeating: 0, shape: [1, 3, 5])
        #expect(throws: GenerateError.self) {
            try model.generate(ids: ids, mask: mask, prompt: wrong, options: GenerationOptions(steps: 8))
        }
        let outside = IntTensor(repeating: 64, shape: [1, 4, 5])
        #expect(throws: GenerateError.self) {
            try model.generate(ids: ids, mask: mask, prompt: outside, options: GenerationOptions(steps: 8))
        }
    }

    /// A clip longer than the decoder's positions is refused before it is encoded.
    @Test func clipLongerThanTheModelSaysTheLimit() throws {
        #expect(throws: GenerateError.badInput("the clip is 6.0 s long; the model holds at most 5.0 s")) {
            try model.encodePrompt(Tensor.zeros([1, 6 * 32000]))
        }
    }
}
