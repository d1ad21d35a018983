import Foundation
import HarpOptim
import HarpTensor
import Testing

@Suite struct AdamTests {
    static func makeOptimizer(_ fixture: OptimFixtures.AdamCase, parameters: [Tensor]) -> Adam {
        let options = fixture.options
        let betas = options.betas.map { ($0[0], $0[1]) } ?? (0.9, 0.999)
        if fixture.optimizer == "AdamW" {
            return AdamW(parameters: parameters, learningRate: options.lr, betas: betas, epsilon: options.eps ?? 1e-8,
                         weightDecay: options.weight_decay ?? 1e-2, amsgrad: options.amsgrad ?? false)
        }
        return Adam(parameters: parameters, learningRate: options.lr, betas: betas, epsilon: options.eps ?? 1e-8,
                    weightDecay: options.weight_decay ?? 0, amsgrad: options.amsgrad ?? false)
    }

    static func parameters(_ fixture: OptimFixtures.AdamCase) -> [Tensor] {
        zip(fixture.shapes, fixture.initial).map { Tensor(shape: $0, values: $1, requiresGradient: true) }
    }

    static func setGradients(_ parameters: [Tensor], _ gradients: [[Float]]) {
        for (parameter, gradient) in zip(parameters, gradients) {
            parameter.grad = Tensor(shape: parameter.shape, values: gradient)
        }
    }

    @Test(arguments: OptimFixtures.adamCases.map(\.name))
    func matchesTorchOverFiveSteps(name: String) throws {
        let fixture = try #require(OptimFixtures.adamCases.first { $0.name == name })
        let parameters = Self.parameters(fixture)
        let optimizer = Self.makeOptimizer(fixture, parameters: parameters)
        for (step, gradients) in fixture.grads.enumerated() {
            Self.setGradients(parameters, gradients)
            optimizer.step()
            for (index, parameter) in parameters.enumerated() {
                #expect(isClose(parameter.scalars, fixture.expected[step][index]), "step \(step), parameter \(index)")
            }
        }
        let state = optimizer.stateDict()
        for index in parameters.indices {
            #expect(isClose(state["state.\(index).exp_avg"]!.scalars, fixture.final_exp_avg[index]))
            #expect(isClose(state["state.\(index).exp_avg_sq"]!.scalars, fixture.final_exp_avg_sq[index]))
            #expect(state["state.\(index).step"]?.item == 5)
        }
    }

    @Test func parametersWithoutGradientsAreLeftAlone() {
        let a = Tensor([1, 2, 3], requiresGradient: true)
        let b = Tensor([4, 5], requiresGradient: true)
        let optimizer = Adam(parameters: [a, b], learningRate: 0.1)
        a.grad = Tensor([1, 1, 1])
        optimizer.step()
        #expect(b.scalars == [4, 5])
        #expect(optimizer.stateDict().keys.sorted() == ["state.0.exp_avg", "state.0.exp_avg_sq", "state.0.step"])
    }

    @Test func largeParametersTakeTheParallelPathWithTheSameResult() {
        // 300k elements: several parallel chunks plus a scalar tail (count not a multiple of 8).
        let count = 300_003
        let values = (0..<count).map { Float($0 % 97) * 0.01 - 0.5 }
        let gradients = (0..<count).map { Float(($0 * 31) % 89) * 0.02 - 0.9 }
        let large = Tensor(values, requiresGradient: true)
        let big = AdamW(parameters: [large], learningRate: 0.01, weightDecay: 0.1, amsgrad: true)
        for _ in 0..<3 {
            large.grad = Tensor(gradients)
            big.step()
        }
        // The same updates on one-element parameters (scalar path) must agree bit for bit.
        let probe = [0, 7, 8, 65_535, 65_536, 150_000, count - 1]
        for index in probe {
            let single = Tensor([values[index]], requiresGradient: true)
            let optimizer = AdamW(parameters: [single], learningRate: 0.01, weightDecay: 0.1, amsgrad: true)
            for _ in 0..<3 { single.grad = Tensor([gradients[index]]); optimizer.step() }
            #expect(single.item == large.scalars[index], "element \(index)")
        }
    }
}
