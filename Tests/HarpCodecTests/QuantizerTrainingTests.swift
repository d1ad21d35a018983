import Foundation
import HarpNN
import HarpTensor
import HarpTestSupport
import Testing
@testable import HarpCodec

/// Residual vector quantisation in training against a PyTorch re-creation of EnCodec's
/// (tools/codec/make_quantizer_fixtures.py): codes, quantised sum, commitment loss, the EMA
/// codebook update and the straight-through gradient; and the behaviours that have no reference:
/// first-batch initialisation, dead-code restart and decoding codes back.
struct QuantizerTrainingTests {
    static let file: SafeTensorsFile = {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("rvq_training.safetensors")
        return try! SafeTensorsFile(contentsOf: url)
    }()

    static func tensor(_ name: String) -> Tensor { try! file.tensor(named: name) }

    static func loadedQuantizer() throws -> TrainableResidualQuantizer {
        var generator = RandomGenerator(seed: 1)
        let quantizer = TrainableResidualQuantizer(stageCount: 3, codebookSize: 8, dimension: 4, decay: 0.9,
                                                   deadCodeThreshold: 0, generator: &generator)
        var state: [String: Tensor] = [:]
        for name in file.names where name.hasPrefix("state/") { state[String(name.dropFirst(6))] = tensor(name) }
        try quantizer.load(stateDict: state)
        return quantizer
    }

    @Test func oneTrainingStepMatchesPyTorch() throws {
        let quantizer = try Self.loadedQuantizer()
        let values = Self.tensor("input/x")
        let x = Tensor(shape: values.shape, values: values.scalars, requiresGradient: true)
        var generator = RandomGenerator(seed: 2)
        let output = quantizer(x, stageCount: 3, updatesCodebooks: true, generator: &generator)
        #expect(output.codes.scalars.map(Float.init) == Self.tensor("output/codes").scalars)
        expectClose(output.quantized, Self.tensor("output/quantized"), relative: 1e-5, absolute: 1e-6, "quantized")
        expectClose(output.commitmentLoss.reshaped([1]), Self.tensor("output/commitment"), relative: 1e-5, "commitment")
        for (name, value) in quantizer.stateDict() where !name.hasSuffix("inited") {
            expectClose(value, Self.tensor("after/\(name)"), relative: 1e-5, absolute: 1e-6, name)
        }
        ((output.quantized * Self.tensor("input/cotangent")).sum() + output.commitmentLoss).backward()
        expectClose(x.grad!, Self.tensor("grad/x"), relative: 1e-5, absolute: 1e-6, "∂/∂x")
    }

    @Test func decodingTheCodesGivesTheQuantisedSum() throws {
        let quantizer = try Self.loadedQuantizer()
        var generator = RandomGenerator(seed: 2)
        let output = quantizer(Self.tensor("input/x"), stageCount: 2, updatesCodebooks: false, generator: &generator)
        #expect(output.codes.shape == [2, 2, 7])
        expectClose(quantizer.decode(output.codes), output.quantized, relative: 1e-5, absolute: 1e-6, "decode")
    }

    @Test func theFirstBatchInitialisesAndDeadEntriesRestartAtBatchVectors() {
        var generator = RandomGenerator(seed: 5)
        let codebook = EMACodebook(codebookSize: 16, dimension: 3, decay: 0.5, deadCodeThreshold: 0.8, generator: &generator)
        // Two tight clusters far from the random initial entries.
        let batch = Tensor(shape: [8, 3], values: (0..<8).flatMap { i -> [Float] in
            let centre: Float = i < 4 ? 10 : -10
            return [centre + Float(i) * 0.01, centre, centre]
        })
        codebook.initialiseIfNeeded(from: batch, generator: &generator)
        #expect(codebook.inited.item == 1)
        codebook.update(with: batch, codes: codebook.nearest(batch), generator: &generator)
        // After the update every entry is either a batch vector's mean or a restarted batch vector:
        // all lie near ±10.
        let entries = codebook.embed.scalars
        #expect(stride(from: 0, to: entries.count, by: 3).allSatisfy { Swift.abs(Swift.abs(entries[$0]) - 10) < 0.5 })
        let codes = codebook.nearest(batch)
        #expect(Set(codes.prefix(4)).isDisjoint(with: Set(codes.suffix(4))))
    }
}
