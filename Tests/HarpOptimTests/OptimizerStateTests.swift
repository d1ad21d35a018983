import Foundation
import HarpOptim
import HarpTensor
import Testing

@Suite struct OptimizerStateTests {
    @Test func resumingFromSavedStateMatchesUninterruptedTraining() throws {
        let fixture = OptimFixtures.adamCases.first { $0.name == "adamw_amsgrad" }!
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("harp-optim-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }

        let parameters = AdamTests.parameters(fixture)
        let first = AdamTests.makeOptimizer(fixture, parameters: parameters)
        for gradients in fixture.grads.prefix(2) { AdamTests.setGradients(parameters, gradients); first.step() }
        try first.save(to: url)

        // A new optimizer (as after a restart) over the same parameter values continues exactly.
        let resumed = AdamTests.makeOptimizer(fixture, parameters: parameters)
        try resumed.load(from: url)
        for gradients in fixture.grads.dropFirst(2) { AdamTests.setGradients(parameters, gradients); resumed.step() }
        for (index, parameter) in parameters.enumerated() {
            #expect(isClose(parameter.scalars, fixture.expected[4][index]))
        }
    }

    @Test func loadRejectsInconsistentState() {
        let optimizer = Adam(parameters: [Tensor([1, 2], requiresGradient: true)])
        let good = ["state.0.step": Tensor(scalar: 3), "state.0.exp_avg": Tensor([0, 0]), "state.0.exp_avg_sq": Tensor([0, 0])]
        #expect(throws: Never.self) { try optimizer.load(stateDict: good) }
        var missing = good
        missing["state.0.exp_avg_sq"] = nil
        #expect(throws: OptimizerStateError.missingKey("state.0.exp_avg_sq")) { try optimizer.load(stateDict: missing) }
        var wrongShape = good
        wrongShape["state.0.exp_avg"] = Tensor([0, 0, 0])
        #expect(throws: OptimizerStateError.shapeMismatch(key: "state.0.exp_avg", expected: [2], actual: [3])) {
            try optimizer.load(stateDict: wrongShape)
        }
        var extra = good
        extra["state.1.step"] = Tensor(scalar: 1)
        #expect(throws: OptimizerStateError.unexpectedKey("state.1.step")) { try optimizer.load(stateDict: extra) }
        var badStep = good
        badStep["state.0.step"] = Tensor(scalar: 1.5)
        #expect(throws: OptimizerStateError.invalidStep(key: "state.0.step")) { try optimizer.load(stateDict: badStep) }
    }
}
