import HarpNN
import HarpTensor

/// The reference's `nn.Sequential(Linear, SiLU, Linear, SiLU[, Linear])` over the noise embedding
/// (`emb_proj`, `scale_inp`, `scale_out`): the SiLUs hold no weights but take indices, so the
/// linears are keyed 0, 2 and 4.
final class NoiseLevelMLP: Module {
    @Keyed("0") var first: Linear
    @Keyed("2") var second: Linear
    @Keyed("4") var last: Linear?

    init(width: Int, outputCount: Int?, generator: inout RandomGenerator) {
        super.init()
        first = Linear(inputCount: width, outputCount: width, generator: &generator)
        second = Linear(inputCount: width, outputCount: width, generator: &generator)
        last = outputCount.map { Linear(inputCount: width, outputCount: $0, generator: &generator) }
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let h = silu(second(silu(first(x))))
        return last.map { $0(h) } ?? h
    }
}
