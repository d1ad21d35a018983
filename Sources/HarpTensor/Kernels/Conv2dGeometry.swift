/// The shapes and hyper-parameters of a two-dimensional convolution (cross-correlation) over
/// `[batch, channels, height, width]`, each spatial axis with its own kernel size, stride,
/// zero padding (both sides) and dilation.
///
/// `y[b, o, i, j] = bias[o] + Σ_{c in o's group} Σ_{p, q} w[o, c, p, q] ·
/// x[b, c, i·strideH − padH + p·dilationH, j·strideW − padW + q·dilationW]`, zero outside the input.
///
/// ref: PyTorch `torch.nn.Conv2d` (weight layout `[out, in / groups, kH, kW]`, output size).
public struct Conv2dGeometry: Hashable, Sendable {
    public var batchCount: Int
    public var inputChannelCount: Int
    public var outputChannelCount: Int
    public var inputHeight: Int
    public var inputWidth: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideHeight: Int
    public var strideWidth: Int
    public var paddingHeight: Int
    public var paddingWidth: Int
    public var dilationHeight: Int
    public var dilationWidth: Int
    public var groupCount: Int

    public init(batchCount: Int, inputChannelCount: Int, outputChannelCount: Int, inputHeight: Int, inputWidth: Int,
                kernelHeight: Int, kernelWidth: Int, stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                dilation: (Int, Int) = (1, 1), groupCount: Int = 1) {
        precondition(batchCount >= 0 && inputHeight >= 0 && inputWidth >= 0, "conv2d: negative size")
        precondition(kernelHeight >= 1 && kernelWidth >= 1 && stride.0 >= 1 && stride.1 >= 1
                     && dilation.0 >= 1 && dilation.1 >= 1 && padding.0 >= 0 && padding.1 >= 0,
                     "conv2d: kernel, stride and dilation must be ≥ 1, padding ≥ 0")
        precondition(groupCount >= 1 && inputChannelCount % groupCount == 0 && outputChannelCount % groupCount == 0,
                     "conv2d: channels \(inputChannelCount)→\(outputChannelCount) not divisible by \(groupCount) groups")
        self.batchCount = batchCount
        self.inputChannelCount = inputChannelCount
        self.outputChannelCount = outputChannelCount
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        (strideHeight, strideWidth) = stride
        (paddingHeight, paddingWidth) = padding
        (dilationHeight, dilationWidth) = dilation
        self.groupCount = groupCount
        precondition(inputHeight + 2 * paddingHeight >= dilationHeight * (kernelHeight - 1) + 1
                     && inputWidth + 2 * paddingWidth >= dilationWidth * (kernelWidth - 1) + 1,
                     "conv2d: kernel larger than the padded input")
    }

    public var outputHeight: Int {
        (inputHeight + 2 * paddingHeight - dilationHeight * (kernelHeight - 1) - 1) / strideHeight + 1
    }
    public var outputWidth: Int {
        (inputWidth + 2 * paddingWidth - dilationWidth * (kernelWidth - 1) - 1) / strideWidth + 1
    }

    public var inputChannelsPerGroup: Int { inputChannelCount / groupCount }
    public var outputChannelsPerGroup: Int { outputChannelCount / groupCount }
    var inputPlane: Int { inputHeight * inputWidth }
    var outputPlane: Int { outputHeight * outputWidth }
    public var weightElementCount: Int { outputChannelCount * columnRowCount }

    /// Rows of one group's column matrix: `inputChannelsPerGroup · kernelHeight · kernelWidth`.
    var columnRowCount: Int { inputChannelsPerGroup * kernelHeight * kernelWidth }

    /// Output rows per tile, so one thread's column buffer stays within `budget` floats.
    func rowTileLength(budget: Int) -> Int {
        max(1, min(outputHeight, budget / max(1, columnRowCount * outputWidth)))
    }
}
