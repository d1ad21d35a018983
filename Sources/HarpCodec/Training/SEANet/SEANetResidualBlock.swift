import HarpNN
import HarpTensor

/// SEANet's residual unit (`EncodecResnetBlock`): `shortcut(x) + conv₁ₓ₁(ELU(conv_k,dilated(ELU(x))))`,
/// the hidden width `channels / compress`. State dict: `block.1.conv.*`, `block.3.conv.*` (indices
/// 0 and 2 are the ELUs) and `shortcut.conv.*` when the shortcut is a convolution.
final class SEANetResidualBlock: Module, SEANetLayer {
    @Keyed("block.1") var first: SEANetConvolution
    @Keyed("block.3") var second: SEANetConvolution
    let shortcut: SEANetConvolution?

    init(channels: Int, kernelSize: Int, dilation: Int, compress: Int, usesConvolutionShortcut: Bool,
         causal: Bool, padMode: PaddingMode, generator: inout RandomGenerator) {
        let hidden = channels / compress
        let first = SEANetConvolution(inputChannels: channels, outputChannels: hidden, kernelSize: kernelSize,
                                      dilation: dilation, causal: causal, padMode: padMode, generator: &generator)
        let second = SEANetConvolution(inputChannels: hidden, outputChannels: channels, kernelSize: 1,
                                       causal: causal, padMode: padMode, generator: &generator)
        shortcut = usesConvolutionShortcut
            ? SEANetConvolution(inputChannels: channels, outputChannels: channels, kernelSize: 1, causal: causal,
                                padMode: padMode, generator: &generator)
            : nil
        super.init()
        self.first = first
        self.second = second
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        let residual = second(first(input.elu()).elu())
        return (shortcut?(input) ?? input) + residual
    }
}
