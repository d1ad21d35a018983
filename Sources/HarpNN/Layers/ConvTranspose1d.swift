import HarpTensor

/// A one-dimensional transposed convolution layer (`torch.nn.ConvTranspose1d`; state dict keys
/// `weight`, `bias`), the upsampling layer of decoders.
///
/// Shapes: input `[batch, inputChannels, time]` → output `[batch, outputChannels, time′]` with
/// `time′ = (time − 1)·stride − 2·padding + dilation·(kernelSize − 1) + outputPadding + 1`.
/// Parameters: `weight [inputChannels, outputChannels / groups, kernelSize]`, `bias [outputChannels]`.
/// Initialisation: uniform in `±1/√(outputChannels / groups · kernelSize)` — PyTorch computes the
/// fan-in from the weight's second axis for transposed convolutions too.
public final class ConvTranspose1d: Module, WeightNormalizable {
    public var weight: Parameter
    public var bias: Parameter?

    public let stride: Int
    public let padding: Int
    public let outputPadding: Int
    public let dilation: Int
    public let groups: Int

    public init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        outputPadding: Int = 0, groups: Int = 1, bias: Bool = true, dilation: Int = 1,
        generator: inout RandomGenerator
    ) {
        precondition(inputChannels % groups == 0 && outputChannels % groups == 0,
                     "ConvTranspose1d: channels \(inputChannels)→\(outputChannels) not divisible by \(groups) groups")
        let fanIn = outputChannels / groups * kernelSize
        weight = Initialization.kaimingUniform([inputChannels, outputChannels / groups, kernelSize],
                                               fanIn: fanIn, generator: &generator)
        self.bias = bias ? Initialization.kaimingUniform([outputChannels], fanIn: fanIn, generator: &generator) : nil
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        self.dilation = dilation
        self.groups = groups
        super.init()
    }

    public var inputChannels: Int { weight.shape[0] }
    public var outputChannels: Int { weight.shape[1] * groups }
    public var kernelSize: Int { weight.shape[2] }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        forward(input, weight: weight)
    }

    /// The layer with `weight` in place of its own (the weight-norm hook).
    public func forward(_ input: Tensor, weight: Tensor) -> Tensor {
        convTranspose1d(input, weight: weight, bias: bias, stride: stride, padding: padding,
                        outputPadding: outputPadding, dilation: dilation, groups: groups)
    }
}
