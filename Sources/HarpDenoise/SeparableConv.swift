import HarpTensor

/// DeepFilterNet's frequency convolution block as exported (one frame of time): a depthwise
/// convolution along frequency (kernel 3, zero padding 1, stride 1 or 2), then a pointwise
/// convolution with batch norm folded into its weight and bias, then ReLU.
///
/// ref: Rikorose/DeepFilterNet DeepFilterNet/df/modules.py `Conv2dNormAct` (separable).
struct SeparableConv {
    /// `[channels, 1, 3]`.
    let depthwise: Tensor
    /// `[channels, channels, 1]`.
    let pointwise: Tensor
    let bias: Tensor
    let stride: Int

    init(weights: DeepFilterNetWeights, name: String, stride: Int) throws {
        depthwise = try weights.tensor("\(name).0.weight", shape: [64, 1, 1, 3]).reshaped([64, 1, 3])
        pointwise = try weights.tensor("\(name).1.weight", shape: [64, 64, 1, 1]).reshaped([64, 64, 1])
        bias = try weights.tensor("\(name).1.bias", shape: [64])
        self.stride = stride
    }

    /// `[frames, 64, freq]` → `[frames, 64, freq / stride]`.
    func callAsFunction(_ x: Tensor) -> Tensor {
        let filtered = conv1d(x, weight: depthwise, stride: stride, padding: 1, groups: 64)
        return conv1d(filtered, weight: pointwise, bias: bias).relu()
    }
}

/// The ERB decoder's transposed variant: a depthwise transposed convolution doubling the
/// frequency axis (kernel 3, stride 2, padding 1, output padding 1), then the folded pointwise
/// convolution and ReLU.
///
/// ref: Rikorose/DeepFilterNet DeepFilterNet/df/modules.py `ConvTranspose2dNormAct`.
struct SeparableTransposedConv {
    let depthwise: Tensor
    let pointwise: Tensor
    let bias: Tensor

    init(weights: DeepFilterNetWeights, name: String) throws {
        depthwise = try weights.tensor("\(name).0.weight", shape: [64, 1, 1, 3]).reshaped([64, 1, 3])
        pointwise = try weights.tensor("\(name).1.weight", shape: [64, 64, 1, 1]).reshaped([64, 64, 1])
        bias = try weights.tensor("\(name).1.bias", shape: [64])
    }

    /// `[frames, 64, freq]` → `[frames, 64, 2 · freq]`.
    func callAsFunction(_ x: Tensor) -> Tensor {
        let widened = convTranspose1d(x, weight: depthwise, stride: 2, padding: 1, outputPadding: 1, groups: 64)
        return conv1d(widened, weight: pointwise, bias: bias).relu()
    }
}
