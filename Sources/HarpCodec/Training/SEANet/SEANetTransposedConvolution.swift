import HarpNN
import HarpTensor

/// EnCodec's upsampling layer (`EncodecConvTranspose1d`) with a weight-normalised
/// `ConvTranspose1d` that trains: no input padding; the `k − stride` extra output samples are
/// trimmed (causal: `⌈total·trimRightRatio⌉` on the right; otherwise half on each side), as in the
/// inference layer `EncodecTransposedConvolution`.
final class SEANetTransposedConvolution: Module, SEANetLayer {
    let conv: WeightNorm<ConvTranspose1d>
    let causal: Bool
    let trimRightRatio: Double

    init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int, causal: Bool, trimRightRatio: Double,
         generator: inout RandomGenerator) {
        conv = WeightNorm(ConvTranspose1d(inputChannels: inputChannels, outputChannels: outputChannels,
                                          kernelSize: kernelSize, stride: stride, generator: &generator))
        self.causal = causal
        self.trimRightRatio = trimRightRatio
        super.init()
    }

    /// `[batch, in, time] → [batch, out, time·stride]`.
    func callAsFunction(_ input: Tensor) -> Tensor {
        let output = conv(input)
        let total = conv.layer.kernelSize - conv.layer.stride
        let right = causal ? Int((Double(total) * trimRightRatio).rounded(.up)) : total / 2
        return output.sliced(alongAxis: 2, start: total - right, end: output.shape[2] - right)
    }
}
