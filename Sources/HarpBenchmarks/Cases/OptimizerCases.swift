import HarpOptim
import HarpTensor

/// One Adam step over 10 M parameters in 10 tensors of 1 M, gradients already in place (the
/// moments exist after the warm-up step, as in training).
enum OptimizerCases {
    static let tensorCount = 10, tensorSize = 1_000_000

    static var all: [EngineBenchmarkCase] {
        [
            EngineBenchmarkCase(name: "adam step 10×1M", family: "optimizer", shapes: "10 × [1000000], lr 1e-3") {
                var generator = RandomGenerator(seed: 11)
                let parameters = (0..<tensorCount).map { _ in
                    Tensor.normal([tensorSize], generator: &generator, requiresGradient: true)
                }
                for parameter in parameters {
                    parameter.grad = Tensor.normal([tensorSize], standardDeviation: 1e-2, generator: &generator)
                }
                let adam = Adam(parameters: parameters, learningRate: 1e-3)
                return { adam.step() }
            },
        ]
    }
}
