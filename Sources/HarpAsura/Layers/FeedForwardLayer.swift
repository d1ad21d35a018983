import HarpNN
import HarpTensor

/// Linear → activation (SwiGLU by default) → linear without bias (the reference's `FFLayer`,
/// state keys `ff.0.*`, `ff.2.weight`). Shapes: `[…, width]` → `[…, width]`.
public final class FeedForwardLayer: Module {
    /// Keyed "0" and "2" as in the reference's `nn.Sequential`, where the activation is index 1.
    public let ff: [String: Linear]
    @Ignored public var activation: Activation

    public init(width: Int, multiplier: Int, activation: Activation, generator: inout RandomGenerator) {
        let hidden = multiplier * width
        let hiddenIn = activation.isGated ? 2 * hidden : hidden
        ff = ["0": Linear(inputCount: width, outputCount: hiddenIn, generator: &generator),
              "2": Linear(inputCount: hidden, outputCount: width, bias: false, generator: &generator)]
        self.activation = activation
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        ff["2"]!(activation(ff["0"]!(x)))
    }
}
