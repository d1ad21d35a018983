import HarpNN
import HarpTensor

/// EnCodec's `NormConv2d` with weight norm: a weight-normalised `Conv2d` under the key `conv`
/// (state dict `conv.weight_g`, `conv.weight_v`, `conv.bias`), so discriminators trained by the
/// reference code load as they are.
/// ref: facebookresearch/encodec `encodec/modules/conv.py` (`NormConv2d`).
public final class NormConv2d: Module {
    public let conv: WeightNorm<Conv2d>

    public init(inputChannels: Int, outputChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                dilation: (Int, Int) = (1, 1), generator: inout RandomGenerator) {
        // "same" padding for odd kernels: ((k − 1)·dilation) / 2 per axis (encodec's get_2d_padding).
        let padding = ((kernelSize.0 - 1) * dilation.0 / 2, (kernelSize.1 - 1) * dilation.1 / 2)
        conv = WeightNorm(Conv2d(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize,
                                 stride: stride, padding: padding, dilation: dilation, generator: &generator))
        super.init()
    }

    public func callAsFunction(_ input: Tensor) -> Tensor { conv(input) }
}
