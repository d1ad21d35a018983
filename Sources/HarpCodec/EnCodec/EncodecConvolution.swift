import HarpTensor

/// EnCodec's convolution (`EncodecConv1d`): a `Conv1d` that pads its own input so the output has
/// `⌈time / stride⌉` frames, causally (all padding on the left) or centred, with reflect or zero
/// padding, optionally followed by `GroupNorm(1, out)` over the whole input (`time_group_norm`).
///
/// Padding: `total = kernelEffective − stride` where `kernelEffective = (k − 1)·dilation + 1`,
/// plus `extra` on the right so the last window is whole (`extraPadding(for:)`).
///
/// ref: huggingface/transformers `models/encodec/modeling_encodec.py` (`EncodecConv1d`,
/// `_get_extra_padding_for_conv1d`, `_pad1d`); facebookresearch/encodec `encodec/modules/conv.py`.
struct EncodecConvolution {
    /// `[out, in, k]`, weight norm folded.
    let weight: Tensor
    /// `[out]`.
    let bias: Tensor
    let stride: Int
    let dilation: Int
    let causal: Bool
    let padMode: PaddingMode
    /// `GroupNorm(1, out)` weight and bias for `time_group_norm`, else `nil`.
    let groupNorm: (weight: Tensor, bias: Tensor)?

    var outputChannels: Int { weight.shape[0] }
    var kernelSize: Int { weight.shape[2] }
    var effectiveKernelSize: Int { (kernelSize - 1) * dilation + 1 }
    var paddingTotal: Int { effectiveKernelSize - stride }

    /// The right padding that makes the last window whole for an input of `length` samples.
    func extraPadding(for length: Int) -> Int {
        // frames = ⌈(n − k + total) / stride⌉ + 1 − 1, computed exactly in integers.
        let numerator = length - effectiveKernelSize + paddingTotal
        let frames = Self.ceilDivide(numerator, stride)
        let idealLength = frames * stride + effectiveKernelSize - paddingTotal
        return idealLength - length
    }

    /// `[batch, in, time] → [batch, out, ⌈time / stride⌉]`.
    func callAsFunction(_ input: Tensor) -> Tensor {
        let extra = extraPadding(for: input.shape[2])
        let right = causal ? 0 : paddingTotal / 2
        let left = paddingTotal - right
        let padded = Self.padded(input, left: left, right: right + extra, mode: padMode)
        return convolved(padded)
    }

    /// The convolution proper over an already padded input (and the group norm).
    func convolved(_ padded: Tensor) -> Tensor {
        let output = conv1d(padded, weight: weight, bias: bias, stride: stride, dilation: dilation)
        return groupNorm.map { Self.timeGroupNorm(output, weight: $0.weight, bias: $0.bias) } ?? output
    }

    /// `_pad1d`: reflect padding that also works on inputs shorter than the padding (zeros are
    /// appended first, reflected over, then dropped).
    static func padded(_ x: Tensor, left: Int, right: Int, mode: PaddingMode) -> Tensor {
        guard left > 0 || right > 0 else { return x }
        guard mode == .reflect else { return x.padded(alongAxis: 2, before: left, after: right, mode: mode) }
        let length = x.shape[2], widest = max(left, right)
        let extra = length <= widest ? widest - length + 1 : 0
        let base = extra > 0 ? x.padded(alongAxis: 2, before: 0, after: extra) : x
        let reflected = base.padded(alongAxis: 2, before: left, after: right, mode: .reflect)
        return extra > 0 ? reflected.sliced(alongAxis: 2, end: reflected.shape[2] - extra) : reflected
    }

    /// `GroupNorm(1, C)`: each item normalised over channels and time, then a per-channel affine map.
    static func timeGroupNorm(_ x: Tensor, weight: Tensor, bias: Tensor) -> Tensor {
        let centered = x - x.mean(alongAxes: [1, 2], keepDims: true)
        let variance = centered.square().mean(alongAxes: [1, 2], keepDims: true)
        let channels = x.shape[1]
        return centered / (variance + 1e-5).sqrt() * weight.reshaped([1, channels, 1]) + bias.reshaped([1, channels, 1])
    }

    static func ceilDivide(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? (a + b - 1) / b : -((-a) / b)
    }
}

/// EnCodec's transposed convolution (`EncodecConvTranspose1d`): no input padding; the
/// `k − stride` extra output samples are trimmed afterwards (causal: `⌈total·trimRightRatio⌉` on
/// the right; otherwise `total / 2` on the right, the rest on the left).
struct EncodecTransposedConvolution {
    /// `[in, out, k]`, weight norm folded (g was `[in, 1, 1]`).
    let weight: Tensor
    /// `[out]`.
    let bias: Tensor
    let stride: Int
    let causal: Bool
    let trimRightRatio: Double
    let groupNorm: (weight: Tensor, bias: Tensor)?

    var kernelSize: Int { weight.shape[2] }
    var paddingTotal: Int { kernelSize - stride }
    var trimRight: Int {
        causal ? Int((Double(paddingTotal) * trimRightRatio).rounded(.up)) : paddingTotal / 2
    }

    /// `[batch, in, time] → [batch, out, time·stride]`.
    func callAsFunction(_ input: Tensor) -> Tensor {
        var output = convTranspose1d(input, weight: weight, bias: bias, stride: stride)
        if let groupNorm { output = EncodecConvolution.timeGroupNorm(output, weight: groupNorm.weight, bias: groupNorm.bias) }
        let left = paddingTotal - trimRight
        return output.sliced(alongAxis: 2, start: left, end: output.shape[2] - trimRight)
    }
}
