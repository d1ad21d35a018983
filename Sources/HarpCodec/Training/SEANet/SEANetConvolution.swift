import HarpNN
import HarpTensor

/// EnCodec's padded convolution (`EncodecConv1d`) with a weight-normalised `Conv1d` that trains:
/// the input is padded so the output has `⌈time / stride⌉` frames, causally (all padding on the
/// left) or centred. State dict: `conv.weight_g`, `conv.weight_v`, `conv.bias`.
///
/// The padding arithmetic is the inference layer's (`EncodecConvolution`), so a trained model
/// computes exactly what the loaded one does.
final class SEANetConvolution: Module, SEANetLayer {
    let conv: WeightNorm<Conv1d>
    let causal: Bool
    let padMode: PaddingMode

    init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, dilation: Int = 1,
         causal: Bool, padMode: PaddingMode, generator: inout RandomGenerator) {
        conv = WeightNorm(Conv1d(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize,
                                 stride: stride, dilation: dilation, generator: &generator))
        self.causal = causal
        self.padMode = padMode
        super.init()
    }

    var stride: Int { conv.layer.stride }
    var dilation: Int { conv.layer.dilation }
    var kernelSize: Int { conv.layer.kernelSize }
    var effectiveKernelSize: Int { (kernelSize - 1) * dilation + 1 }
    var paddingTotal: Int { effectiveKernelSize - stride }

    /// `[batch, in, time] → [batch, out, ⌈time / stride⌉]`.
    func callAsFunction(_ input: Tensor) -> Tensor {
        let length = input.shape[2]
        let frames = EncodecConvolution.ceilDivide(length - effectiveKernelSize + paddingTotal, stride)
        let extra = frames * stride + effectiveKernelSize - paddingTotal - length
        let right = causal ? 0 : paddingTotal / 2
        let left = paddingTotal - right
        return conv(EncodecConvolution.padded(input, left: left, right: right + extra, mode: padMode))
    }
}
