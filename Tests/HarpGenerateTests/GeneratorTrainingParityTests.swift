import Foundation
import HarpTensor
import HarpTestSupport
import HarpText
import Testing
@testable import HarpGenerate

/// Harp's trainable generator LM against `transformers` (`MusicgenForCausalLM` + a linear
/// `enc_to_dec_proj`, tiny config, `tools/musicgen/make_generator_fixture.py`), and against
/// Harp's own inference path once exported.
@Suite struct GeneratorTrainingParityTests {
    static var fixtures: URL { OracleFolder.fixtures.appendingPathComponent("generator") }

    static func referenceModel() throws -> (TrainableMusicgen, SafeTensorsFile) {
        let file = try SafeTensorsFile(contentsOf: fixtures.appendingPathComponent("training.safetensors"))
        var generator = RandomGenerator(seed: 1)
        let model = TrainableMusicgen(configuration: .tiny(vocabSize: 16, textWidth: 32), generator: &generator)
        var weights: [String: Tensor] = [:]
        for name in file.names where name.hasPrefix("decoder.") || name.hasPrefix("enc_to_dec_proj.") {
            weights[name] = try file.tensor(named: name)
        }
        try model.load(stateDict: weights)   // strict: every name matches transformers'
        return (model, file)
    }

    static func teacherForcing(_ file: SafeTensorsFile) throws -> TeacherForcing {
        let codes = try file.integerTensor(named: "frames")
        let lengths = try file.integerTensor(named: "lengths").scalars.map(Int.init)
        let frames = (0..<codes.shape[0]).map { b in
            (0..<codes.shape[1]).map { k in (0..<lengths[b]).map { f in codes[b, k, f] } }
        }
        return TeacherForcing(frames: frames, frameCount: codes.shape[2], codebookCount: 4, padTokenID: 16, startTokenID: 16)
    }

    @Test func delayPatternedSequencesMatchTheReference() throws {
        let (_, file) = try Self.referenceModel()
        let forcing = try Self.teacherForcing(file)
        #expect(forcing.inputs == (try file.integerTensor(named: "inputs")))
        #expect(forcing.targets == (try file.integerTensor(named: "targets")))
    }

    @Test func trainingLossAndGradientsMatchTransformers() throws {
        let (model, file) = try Self.referenceModel()
        let forcing = try Self.teacherForcing(file)
        let logits = model(forcing.inputs, text: try file.tensor(named: "text"), mask: try file.integerTensor(named: "mask"))
        let reference = try file.tensor(named: "logits")
        expectClose(logits.reshaped(reference.shape), reference, relative: 1e-4, absolute: 1e-5, "logits")
        let loss = forcing.loss(logits)
        expectClose(loss.reshaped([1]), try file.tensor(named: "loss"), relative: 1e-5, absolute: 1e-6, "loss")
        model.zeroGradients()
        loss.backward()
        let parameters = model.namedParameters()
        #expect(parameters.count == file.names.filter { $0.hasPrefix("grad.") }.count)
        for (name, parameter) in parameters {
            let expected = try file.tensor(named: "grad." + name)
            let scale = expected.scalars.map(abs).max() ?? 0
            expectClose(parameter.grad ?? Tensor.zeros(parameter.shape), expected, relative: 1e-3,
                        absolute: 1e-5 * max(scale, 1e-3), "gradient of \(name)")
        }
    }

    /// The exported folder, loaded by `MusicgenModel.load` with a tiny MiniLM, gives the
    /// trainable model's logits: the pooled sentence embedding as a sequence of one, through
    /// `enc_to_dec_proj` and the cached decoder.
    @Test func exportedGeneratorLoadsAndMatchesTheTrainableForward() throws {
        let (model, file) = try Self.referenceModel()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("harp-generator-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try model.export(to: folder, components: GeneratorComponents(bandwidth: 3),
                         generation: GenerationConfiguration(doSample: true, topK: 8, guidanceScale: 3))
        let loaded = try MusicgenModel.load(folder: folder, sentenceEncoderFolder: Self.fixtures.appendingPathComponent("minilm_tiny"))
        #expect(loaded.configuration.components == GeneratorComponents(bandwidth: 3))
        #expect(loaded.generationConfiguration.guidanceScale == 3)
        let sentence = try #require(loaded.sentenceEncoder)
        let prompts = ["solo piano", "a battle theme with drums and strings"]
        let (ids, mask, _) = sentence.tokenize(prompts)
        let forcing = try Self.teacherForcing(file)
        let inference = withoutGradients {
            loaded.logits(ids: ids, mask: mask, decoderTokens: forcing.inputs.reshaped([8, forcing.inputs.shape[2]]))
        }
        let pooled = sentence.embed(prompts).reshaped([2, 1, 32])
        let trainable = withoutGradients { model(forcing.inputs, text: pooled, mask: IntTensor(repeating: 1, shape: [2, 1])) }
        expectClose(inference, trainable.reshaped(inference.shape), relative: 1e-4, absolute: 1e-5, "inference vs training logits")
    }
}
