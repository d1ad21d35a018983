import HarpTensor

/// A fully connected layer, `y = x·Wᵀ + b` (`torch.nn.Linear`; state dict keys `weight`, `bias`).
///
/// Shapes: input `[…, inputCount]` → output `[…, outputCount]`; any number of leading axes.
/// Parameters: `weight [outputCount, inputCount]`, `bias [outputCount]` (optional).
/// Initialisation: both uniform in `±1/√inputCount`, PyTorch's defaults.
public final class Linear: Module, WeightNormalizable {
    public var weight: Parameter
    public var bias: Parameter?

    public let inputCount: Int
    public let outputCount: Int

    /// - Parameter generator: the source of the initial weights.
    public init(inputCount: Int, outputCount: Int, bias: Bool = true, generator: inout RandomGenerator) {
        self.inputCount = inputCount
        self.outputCount = outputCount
        weight = Initialization.kaimingUniform([outputCount, inputCount], fanIn: inputCount, generator: &generator)
        self.bias = bias ? Initialization.kaimingUniform([outputCount], fanIn: inputCount, generator: &generator) : nil
        super.init()
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        forward(input, weight: weight)
    }

    /// The layer with `weight` in place of its own (the weight-norm hook).
    public func forward(_ input: Tensor, weight: Tensor) -> Tensor {
        Self.linear(input, weight: weight, bias: bias)
    }

    /// `x·Wᵀ + b` over the last axis of `input` (`torch.nn.functional.linear`).
    public static func linear(_ input: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        let inputCount = weight.shape[1]
        precondition(input.rank >= 1 && input.shape[input.rank - 1] == inputCount,
                     "linear: input \(input.shape) does not end in \(inputCount)")
        let leading = Array(input.shape.dropLast())
        let rows = input.reshaped([Shape.count(leading), inputCount])
        var output = matmul(rows, weight.transposed())
        if let bias { output = output + bias }
        return output.reshaped(leading + [weight.shape[0]])
    }
}
