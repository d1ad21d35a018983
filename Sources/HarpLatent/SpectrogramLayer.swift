import HarpNN
import HarpTensor

/// One entry of the reference's heterogeneous `nn.ModuleList`s (`down_layers`, `up_layers`):
/// residual blocks take the noise embedding, the rest ignore it.
protocol SpectrogramLayer: Module {
    func callAsFunction(_ input: Tensor, embedding: Tensor?) -> Tensor
}

extension Conv2d: SpectrogramLayer {
    func callAsFunction(_ input: Tensor, embedding: Tensor?) -> Tensor { self(input) }
}

/// `x·σ(x)` (`torch.nn.SiLU`).
func silu(_ x: Tensor) -> Tensor { x * x.sigmoid() }

/// `torch.nn.GroupNorm(min(C/4, 32), C)`, the reference's one normalisation.
func referenceGroupNorm(_ channels: Int) -> GroupNorm {
    GroupNorm(groupCount: Swift.max(1, Swift.min(channels / 4, 32)), channelCount: channels)
}

/// A 2-D convolution with PyTorch's `padding='same'` for odd kernels.
func sameConv2d(_ input: Int, _ output: Int, kernel: (Int, Int), generator: inout RandomGenerator) -> Conv2d {
    Conv2d(inputChannels: input, outputChannels: output, kernelSize: kernel,
           padding: (kernel.0 / 2, kernel.1 / 2), generator: &generator)
}

/// A 1-D convolution with PyTorch's `padding='same'` for odd kernels.
func sameConv1d(_ input: Int, _ output: Int, kernel: Int, generator: inout RandomGenerator) -> Conv1d {
    Conv1d(inputChannels: input, outputChannels: output, kernelSize: kernel, padding: kernel / 2, generator: &generator)
}
