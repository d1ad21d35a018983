import HarpTensor

/// A two-dimensional convolution layer (`torch.nn.Conv2d`; state dict keys `weight`, `bias`),
/// zero padding. The STFT discriminators and the 2-D UNets of the consistency autoencoder use it.
///
/// Shapes: input `[batch, inputChannels, height, width]` → output `[batch, outputChannels, H′, W′]`
/// with `H′ = ⌊(H + 2·padH − dilH·(kH − 1) − 1)/strideH⌋ + 1` (width alike).
/// Parameters: `weight [outputChannels, inputChannels / groups, kH, kW]`, `bias [outputChannels]`,
/// initialised uniform in `±1/√(inputChannels / groups · kH · kW)` (PyTorch's rule).
public final class Conv2d: Module, WeightNormalizable {
    public var weight: Parameter
    public var bias: Parameter?

    public let stride: (Int, Int)
    public let padding: (Int, Int)
    public let dilation: (Int, Int)
    public let groups: Int

    public init(inputChannels: Int, outputChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1, bias: Bool = true,
                generator: inout RandomGenerator) {
        precondition(inputChannels % groups == 0 && outputChannels % groups == 0,
                     "Conv2d: channels \(inputChannels)→\(outputChannels) not divisible by \(groups) groups")
        let fanIn = inputChannels / groups * kernelSize.0 * kernelSize.1
        weight = Initialization.kaimingUniform([outputChannels, inputChannels / groups, kernelSize.0, kernelSize.1],
                                               fanIn: fanIn, generator: &generator)
        self.bias = bias ? Initialization.kaimingUniform([outputChannels], fanIn: fanIn, generator: &generator) : nil
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        super.init()
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        forward(input, weight: weight)
    }

    /// The layer with `weight` in place of its own (the weight-norm hook).
    public func forward(_ input: Tensor, weight: Tensor) -> Tensor {
        conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }
}
