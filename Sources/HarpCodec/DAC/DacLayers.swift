import HarpTensor

/// A plain zero-padded convolution with bias (DAC's `nn.Conv1d` layers).
struct DacConvolution {
    /// `[out, in, k]`.
    let weight: Tensor
    let bias: Tensor
    var stride = 1
    var padding = 0
    var dilation = 1

    func callAsFunction(_ x: Tensor) -> Tensor {
        conv1d(x, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation)
    }
}

/// DAC's residual unit: `y = x + conv₂(snake₂(conv₁(snake₁(x))))`, `conv₁` kernel 7 with
/// dilation `d` and padding `3d`, `conv₂` kernel 1 (the skip is cropped to the branch's length,
/// which never differs with these paddings).
///
/// ref: huggingface/transformers `models/dac/modeling_dac.py` (`DacResidualUnit`, `Snake1d`).
struct DacResidualUnit {
    let alpha1: Tensor
    let conv1: DacConvolution
    let alpha2: Tensor
    let conv2: DacConvolution

    func callAsFunction(_ x: Tensor) -> Tensor {
        let branch = conv2(conv1(x.snake(alpha: alpha1)).snake(alpha: alpha2))
        let crop = (x.shape[2] - branch.shape[2]) / 2
        let skip = crop > 0 ? x.sliced(alongAxis: 2, start: crop, end: x.shape[2] - crop) : x
        return skip + branch
    }
}

/// DAC's encoder: conv (1 → C, k7), blocks of three residual units (dilations 1, 3, 9), Snake and
/// a strided conv (`2s`, stride `s`, padding `⌈s/2⌉`) doubling the channels, then Snake and a
/// conv (k3) to the latent width.
struct DacEncoder {
    let conv1: DacConvolution
    let blocks: [(units: [DacResidualUnit], alpha: Tensor, conv: DacConvolution)]
    let alpha: Tensor
    let conv2: DacConvolution

    /// `[1, 1, samples] → [1, hidden, samples / hop]`.
    func callAsFunction(_ x: Tensor) -> Tensor {
        var h = conv1(x)
        for block in blocks {
            h = block.units.reduce(h) { $1($0) }
            h = block.conv(h.snake(alpha: block.alpha))
        }
        return conv2(h.snake(alpha: alpha))
    }
}

/// DAC's decoder: conv (hidden → D, k7), blocks of Snake, a transposed conv (`2s`, stride `s`,
/// padding `⌈s/2⌉`) halving the channels and three residual units, then Snake, conv (k7) to
/// one channel and tanh.
struct DacDecoder {
    let conv1: DacConvolution
    let blocks: [(alpha: Tensor, weight: Tensor, bias: Tensor, stride: Int, units: [DacResidualUnit])]
    let alpha: Tensor
    let conv2: DacConvolution

    /// `[1, hidden, frames] → [1, 1, frames · hop]`.
    func callAsFunction(_ x: Tensor) -> Tensor {
        var h = conv1(x)
        for block in blocks {
            h = convTranspose1d(h.snake(alpha: block.alpha), weight: block.weight, bias: block.bias,
                                stride: block.stride, padding: (block.stride + 1) / 2)
            h = block.units.reduce(h) { $1($0) }
        }
        return conv2(h.snake(alpha: alpha)).tanh()
    }
}
