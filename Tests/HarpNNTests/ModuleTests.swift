import HarpNN
import HarpTensor
import Testing

@Suite struct ModuleTests {
    static let expectedParameterNames = [
        "layers.0.attack_envelopes", "layers.0.projection.weight", "layers.0.projection.bias",
        "layers.1.attack_envelopes", "layers.1.projection.weight", "layers.1.projection.bias",
        "heads.loudness.weight", "heads.loudness.bias", "heads.pitch.weight",
        "gain", "out_proj.weight", "out_proj.bias",
    ]

    @Test func discoversParametersInDeclarationOrderWithPyTorchNames() {
        let network = TestNetwork()
        #expect(network.namedParameters().map(\.name) == Self.expectedParameterNames)
        #expect(network.parameters().count == 12)
        let valueCount = network.parameters().map(\.count).reduce(0, +)
        let expectedCount = 2 * (10 + 6 + 2) + 2 + 3 + 1 + 8 + 4
        #expect(valueCount == expectedCount)
    }

    @Test func buffersAreInTheStateDictButNotParameters() {
        let network = TestNetwork()
        #expect(network.namedBuffers().map(\.name) == ["layers.0.running_mean", "layers.1.running_mean"])
        let keys = Set(network.stateDict().keys)
        #expect(keys == Set(Self.expectedParameterNames + ["layers.0.running_mean", "layers.1.running_mean"]))
        #expect(!keys.contains { $0.contains("cache") || $0.contains("absent") })
    }

    @Test func discoversModulesDepthFirst() {
        let network = TestNetwork()
        #expect(network.namedModules().map(\.name) == [
            "", "layers.0", "layers.0.projection", "layers.1", "layers.1.projection",
            "heads.loudness", "heads.pitch", "out_proj",
        ])
        #expect(network.namedChildren().map(\.name) == ["layers.0", "layers.1", "heads.loudness", "heads.pitch", "out_proj"])
    }

    @Test func subclassPropertiesFollowTheSuperclass() {
        let names = TestExtendedNetwork().namedParameters().map(\.name)
        #expect(names == Self.expectedParameterNames + ["extra"])
    }

    @Test func sharedTensorsAreOneParameterButTwoStateEntries() {
        let network = TestNetwork()
        network.gain = network.layers[0].projection.bias!
        #expect(network.parameters().count == 11)
        #expect(network.stateDict()["gain"] === network.stateDict()["layers.0.projection.bias"])
    }

    @Test func trainAndEvalReachEveryModule() {
        let network = TestNetwork()
        #expect(network.isTraining)
        network.eval()
        #expect(network.namedModules().allSatisfy { !$0.module.isTraining })
        network.train()
        #expect(network.namedModules().allSatisfy { $0.module.isTraining })
    }

    @Test func zeroGradientsClearsEveryGradient() {
        let network = TestNetwork()
        for parameter in network.parameters() { parameter.grad = Tensor.ones(parameter.shape) }
        network.zeroGradients()
        #expect(network.parameters().allSatisfy { $0.grad == nil })
    }
}
