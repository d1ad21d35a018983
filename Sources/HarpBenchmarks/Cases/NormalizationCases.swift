import HarpNN
import HarpTensor

/// Softmax over the last axis (forward) and LayerNorm over the last axis (forward + backward from
/// a fixed upstream gradient, including the affine parameters' gradients).
enum NormalizationCases {
    static var all: [EngineBenchmarkCase] {
        [
            EngineBenchmarkCase(name: "softmax [4096,4096] last axis", family: "normalization", shapes: "[4096, 4096], axis -1") {
                var generator = RandomGenerator(seed: 6)
                let logits = Tensor.normal([4096, 4096], generator: &generator)
                return { consume(logits.softmax(alongAxis: -1)) }
            },
            EngineBenchmarkCase(name: "layernorm [64,1024,512] last axis fwd+bwd", family: "normalization",
                                shapes: "[64, 1024, 512], normalized shape [512], affine") {
                var generator = RandomGenerator(seed: 7)
                let layer = LayerNorm(512)
                let x = Tensor.normal([64, 1024, 512], generator: &generator, requiresGradient: true)
                let upstream = Tensor.normal([64, 1024, 512], generator: &generator)
                let leaves = [x] + [layer.weight, layer.bias].compactMap { $0 }
                return {
                    leaves.forEach { $0.zeroGradient() }
                    layer(x).backward(seed: upstream)
                }
            },
        ]
    }
}
