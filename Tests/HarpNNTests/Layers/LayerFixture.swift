import Foundation
import HarpNN
import HarpTensor
import HarpTestSupport
import Testing

/// One case of `Fixtures/layers_cases.safetensors` (made by `tools/make_layer_fixtures.py`): a
/// PyTorch layer's state dict, inputs, outputs, the cotangent of each output and the gradients of
/// `L = Σ_k Σ cotangent_k ⊙ output_k` with respect to the inputs and every parameter.
struct LayerFixture {
    static let url = Bundle.module.url(forResource: "layers_cases", withExtension: "safetensors", subdirectory: "Fixtures")!

    let name: String
    let file: SafeTensorsFile

    init(_ name: String) throws {
        self.name = name
        file = try SafeTensorsFile(contentsOf: Self.url)
    }

    /// The tensors under `<case>/<group>/`, by the rest of their names.
    func group(_ group: String) throws -> [String: Tensor] {
        let prefix = "\(name)/\(group)/"
        var result: [String: Tensor] = [:]
        for key in file.names where key.hasPrefix(prefix) {
            result[String(key.dropFirst(prefix.count))] = try file.tensor(named: key)
        }
        return result
    }

    /// Loads the state dict into `module` through the real (strict) loader, runs `forward` on the
    /// fixture's inputs, and compares the outputs and every gradient with PyTorch's.
    func check(
        _ module: Module, relative: Float = 1e-5, absolute: Float = 1e-5,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ forward: ([String: Tensor]) -> [String: Tensor]
    ) throws {
        try module.load(stateDict: try group("state"))
        let inputGradients = try group("grad/input")
        var inputs = try group("input")
        for (key, value) in inputs where inputGradients[key] != nil {
            inputs[key] = Tensor(shape: value.shape, values: value.scalars, requiresGradient: true)
        }
        let outputs = forward(inputs)
        let expectedOutputs = try group("output"), cotangents = try group("cotangent")
        #expect(Set(outputs.keys) == Set(expectedOutputs.keys), "\(name) outputs", sourceLocation: sourceLocation)
        var loss: Tensor? = nil
        for (key, output) in outputs.sorted(by: { $0.key < $1.key }) {
            guard let expected = expectedOutputs[key], let cotangent = cotangents[key] else { continue }
            expectClose(output, expected, relative: relative, absolute: absolute, "\(name) output \(key)",
                        sourceLocation: sourceLocation)
            let term = (output * cotangent).sum()
            loss = loss.map { $0 + term } ?? term
        }
        loss?.backward()
        for (key, expected) in inputGradients {
            guard let gradient = inputs[key]?.grad else {
                Issue.record("\(name): no gradient for input \(key)", sourceLocation: sourceLocation)
                continue
            }
            expectClose(gradient, expected, relative: relative, absolute: absolute, "\(name) ∂L/∂\(key)",
                        sourceLocation: sourceLocation)
        }
        let parameterGradients = try group("grad/state")
        let parameters = module.namedParameters()
        #expect(Set(parameters.map(\.name)) == Set(parameterGradients.keys), "\(name) parameter names",
                sourceLocation: sourceLocation)
        for (key, parameter) in parameters {
            guard let expected = parameterGradients[key] else { continue }
            guard let gradient = parameter.grad else {
                Issue.record("\(name): no gradient for parameter \(key)", sourceLocation: sourceLocation)
                continue
            }
            expectClose(gradient, expected, relative: relative, absolute: absolute, "\(name) ∂L/∂\(key)",
                        sourceLocation: sourceLocation)
        }
    }
}
