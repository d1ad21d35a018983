import HarpTensor

/// A one-dimensional convolution layer (`torch.nn.Conv1d`; state dict keys `weight`, `bias`).
///
/// Shapes: input `[batch, inputChannels, time]` → output `[batch, outputChannels, time′]` with
/// `time′ = ⌊(time + 2·padding − dilation·(kernelSize − 1) − 1) / stride⌋ + 1`.
/// Parameters: `weight [outputChannels, inputChannels / groups, kernelSize]`, `bias [outputChannels]`.
/// Initialisation: uniform in `±1/√(inputChannels / groups · kernelSize)` (PyTorch's
/// `kaiming_uniform_(a=√5)` and its bias rule).
///
/// `paddingMode` other than `.zeros` pads explicitly with `Tensor.padded` and convolves unpadded,
/// as PyTorch does.
public final class Conv1d: Module, WeightNormalizable {
    public var weight: Parameter
    public var bias: Parameter?

    public let stride: Int
    public let padding: Int
    public let dilation: Int
    public let groups: Int
    public let paddingMode: ConvolutionPaddingMode

    public init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        dilation: Int = 1, groups: Int = 1, bias: Bool = true, paddingMode: ConvolutionPaddingMode = .zeros,
        generator: inout RandomGenerator
    ) {
        precondition(inputChannels % groups == 0 && outputChannels % groups == 0,
                     "Conv1d: channels \(inputChannels)→\(outputChannels) not divisible by \(groups) groups")
        let fanIn = inputChannels / groups * kernelSize
        weight = Initialization.kaimingUniform([outputChannels, inputChannels / groups, kernelSize],
                                               fanIn: fanIn, generator: &generator)
        self.bias = bias ? Initialization.kaimingUniform([outputChannels], fanIn: fanIn, generator: &generator) : nil
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        self.paddingMode = paddingMode
        super.init()
    }

    public var inputChannels: Int { weight.shape[1] * groups }
    public var outputChannels: Int { weight.shape[0] }
    public var kernelSize: Int { weight.shape[2] }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        forward(input, weight: weight)
    }

    /// The layer with `weight` in place of its own (the weight-norm hook).
    public func forward(_ input: Tensor, weight: Tensor) -> Tensor {
        guard paddingMode != .zeros, padding > 0 else {
            return conv1d(input, weight: weight, bias: bias, stride: stride, padding: padding,
                          dilation: dilation, groups: groups)
        }
        let padded = input.padded(alongAxis: 2, before: padding, after: padding, mode: paddingMode.tensorPaddingMode)
        return conv1d(padded, weight: weight, bias: bias, stride: stride, dilation: dilation, groups: groups)
    }
}
