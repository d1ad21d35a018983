import Foundation
import HarpNN
import HarpTensor
import HarpTestSupport
import Testing
@testable import HarpCodec

/// The multi-scale STFT discriminator and the adversarial losses against a PyTorch re-creation
/// of EnCodec's (tools/codec/make_discriminator_fixtures.py): logits, every feature map, every
/// loss term, the generator's gradient with respect to its audio and the discriminator's
/// gradient with respect to every parameter.
struct DiscriminatorParityTests {
    static let file: SafeTensorsFile = {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("discriminator.safetensors")
        return try! SafeTensorsFile(contentsOf: url)
    }()

    static func tensor(_ name: String) -> Tensor { try! file.tensor(named: name) }

    /// The fixture's discriminator (filters 4, FFT sizes 64, 128, 32) with its weights loaded.
    static func discriminator() throws -> MultiScaleSTFTDiscriminator {
        var generator = RandomGenerator(seed: 0)
        let model = MultiScaleSTFTDiscriminator(filters: 4, fftSizes: [64, 128, 32], generator: &generator)
        var state: [String: Tensor] = [:]
        for name in file.names where name.hasPrefix("state/") { state[String(name.dropFirst(6))] = tensor(name) }
        try model.load(stateDict: state)
        return model
    }

    static func expectScalar(_ value: Tensor, _ name: String) {
        expectClose(value.reshaped([1]), tensor(name), relative: 1e-4, absolute: 1e-6, name)
    }

    @Test func logitsAndFeaturesMatchPyTorch() throws {
        let outputs = try Self.discriminator()(Self.tensor("input/real"))
        #expect(outputs.count == 3)
        for (k, output) in outputs.enumerated() {
            expectClose(output.logits, Self.tensor("output/\(k)/logits"), relative: 1e-4, absolute: 1e-5, "scale \(k) logits")
            #expect(output.features.count == 5)
            for (i, feature) in output.features.enumerated() {
                expectClose(feature, Self.tensor("output/\(k)/feature\(i)"), relative: 1e-4, absolute: 1e-5,
                            "scale \(k) feature \(i)")
            }
        }
    }

    @Test func lossesAndGeneratorGradientMatchPyTorch() throws {
        let model = try Self.discriminator()
        let real = model(Self.tensor("input/real"))
        let audio = Self.tensor("input/generated")
        let generated = Tensor(shape: audio.shape, values: audio.scalars, requiresGradient: true)
        let fake = model(generated)
        let adversarial = AdversarialLoss.hinge.generatorLoss(generated: fake.map(\.logits))
        let matching = AdversarialLoss.featureMatchingLoss(real: real.map(\.features), generated: fake.map(\.features))
        Self.expectScalar(adversarial, "loss/hinge_generator")
        Self.expectScalar(AdversarialLoss.leastSquares.generatorLoss(generated: fake.map(\.logits)), "loss/ls_generator")
        Self.expectScalar(matching, "loss/feature_matching")
        (adversarial + matching).backward()
        expectClose(generated.grad!, Self.tensor("grad/generated"), relative: 1e-3, absolute: 1e-6, "∂G/∂audio")
    }

    @Test func discriminatorLossAndParameterGradientsMatchPyTorch() throws {
        let model = try Self.discriminator()
        let realLogits = model(Self.tensor("input/real")).map(\.logits)
        let fakeLogits = model(Self.tensor("input/generated")).map(\.logits)
        Self.expectScalar(AdversarialLoss.leastSquares.discriminatorLoss(real: realLogits, generated: fakeLogits),
                          "loss/ls_discriminator")
        let loss = AdversarialLoss.hinge.discriminatorLoss(real: realLogits, generated: fakeLogits)
        Self.expectScalar(loss, "loss/hinge_discriminator")
        loss.backward()
        let parameters = model.namedParameters()
        #expect(parameters.count == Self.file.names.filter { $0.hasPrefix("grad/state/") }.count)
        for (name, parameter) in parameters {
            let expected = Self.tensor("grad/state/\(name)")
            let scale = expected.abs().max().item
            expectClose(parameter.grad!, expected, relative: 1e-3, absolute: 1e-4 * Swift.max(scale, 1e-3), "∂D/∂\(name)")
        }
    }
}
