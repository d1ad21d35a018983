import Foundation
import HarpDSP
import HarpNN
import HarpTensor
import Testing
@testable import HarpCodec

/// The trainable SEANet against `transformers`' EnCodec (tools/codec/make_seanet_fixtures.py):
/// with the reference's weights, the encoder's output, the decoder's reconstruction, the mel and
/// waveform losses and the gradient of every parameter (weight-norm magnitudes and directions,
/// biases, the LSTM's weights) agree.
@Suite struct SEANetParityTests {
    static let file: SafeTensorsFile = {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("seanet_training.safetensors")
        return try! SafeTensorsFile(contentsOf: url)
    }()

    static func tensor(_ name: String) -> Tensor { try! file.tensor(named: name) }

    /// The tiny configuration of the fixture script.
    static func loadedModel() throws -> TrainableEncodec {
        var generator = RandomGenerator(seed: 0)
        let model = try TrainableEncodec(configuration: CodecTrainerTests.tinyConfiguration().model, generator: &generator)
        var state = model.stateDict()   // the quantiser's own codebooks; the fixture has none
        for name in file.names where name.hasPrefix("state/") { state[String(name.dropFirst(6))] = tensor(name) }
        try model.load(stateDict: state)
        return model
    }

    static func expectClose(_ actual: Tensor, _ expected: Tensor, _ label: String, relative: Float = 1e-4) {
        #expect(actual.shape == expected.shape, "\(label): shape \(actual.shape) vs \(expected.shape)")
        guard actual.shape == expected.shape else { return }
        let scale: Float = max(1, expected.abs().max().item)
        let difference: Float = (actual - expected).abs().max().item
        #expect(difference <= relative * scale, "\(label): max |Δ| \(difference) (scale \(scale))")
    }

    @Test func forwardMatchesTransformers() throws {
        let model = try Self.loadedModel()
        let x = Self.tensor("input/x")
        let embeddings = withoutGradients { model.encode(x) }
        Self.expectClose(embeddings, Self.tensor("output/embeddings"), "embeddings")
        let reconstruction = withoutGradients { model.decode(embeddings: Self.tensor("output/embeddings")) }
            .sliced(alongAxis: 2, end: x.shape[2])
        Self.expectClose(reconstruction, Self.tensor("output/reconstruction"), "reconstruction")
    }

    @Test func lossesAndEveryGradientMatchTransformers() throws {
        let model = try Self.loadedModel()
        let x = Self.tensor("input/x")
        let reconstruction = model.decode(embeddings: model.encode(x)).sliced(alongAxis: 2, end: x.shape[2])
        let mel = MelDistance(sampleRate: 24000)(reconstruction, x)
        let waveform = (reconstruction - x).abs().mean()
        Self.expectClose(mel.reshaped([1]), Self.tensor("loss/mel"), "mel loss")
        Self.expectClose(waveform.reshaped([1]), Self.tensor("loss/waveform"), "waveform loss")
        model.zeroGradients()
        (mel + waveform).backward()
        let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.tensor) })
        let names = Self.file.names.filter { $0.hasPrefix("grad/") }
        #expect(names.count == 92)
        for name in names {
            let key = String(name.dropFirst(5))
            guard let parameter = parameters[key], let gradient = parameter.grad else {
                Issue.record("\(key): no such parameter or no gradient")
                continue
            }
            Self.expectClose(gradient, Self.tensor(name), "grad \(key)", relative: 2e-3)
        }
        // Every parameter of the SEANet stacks is covered by the reference.
        #expect(Set(parameters.keys.filter { !$0.hasPrefix("quantizer") }) == Set(names.map { String($0.dropFirst(5)) }))
    }
}
