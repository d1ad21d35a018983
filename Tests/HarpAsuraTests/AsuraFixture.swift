import Foundation
import HarpAsura
import HarpTensor

/// The tiny-configuration fixtures written by `tools/asura/reference.py` from the published
/// PyTorch code: configuration, weights, and one training forward (draws, calls, losses, gradients).
struct AsuraFixture {
    static let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    let configuration: AsuraConfiguration
    let trace: SafeTensorsFile

    init() throws {
        configuration = try AsuraConfiguration(contentsOf: Self.directory.appendingPathComponent("asura_tiny.json"))
        trace = try SafeTensorsFile(contentsOf: Self.directory.appendingPathComponent("asura_tiny_trace.safetensors"))
    }

    /// The model with the reference's weights.
    func model() throws -> AsuraModel {
        var generator = RandomGenerator(seed: 0)
        let model = AsuraModel(configuration.model, generator: &generator)
        _ = try model.load(from: Self.directory.appendingPathComponent("asura_tiny_weights.safetensors"))
        return model
    }

    /// The reference's draws in order (`draw.NNN.kind`).
    func draws() throws -> RecordedDraws {
        let names = trace.names.filter { $0.hasPrefix("draw.") }.sorted()
        return RecordedDraws(try names.map { name in
            (String(name.split(separator: ".")[2]), try trace.tensor(named: name))
        })
    }

    func tensor(_ name: String) throws -> Tensor { try trace.tensor(named: name) }
}
