/// The shapes and hyper-parameters of a one-dimensional convolution (cross-correlation).
///
/// Input `[batchCount, inputChannelCount, inputLength]`, weight
/// `[outputChannelCount, inputChannelCount / groupCount, kernelSize]`, output
/// `[batchCount, outputChannelCount, outputLength]` with
/// `y[b, o, t] = bias[o] + Σ_{c in o's group} Σ_j w[o, c, j] · x[b, c, t·stride − paddingLeft + j·dilation]`,
/// reading zero outside the input.
///
/// ref: PyTorch `torch.nn.Conv1d` (weight layout, groups, dilation, output length). Padding is
/// given per side; a negative padding crops, which `ConvTranspose1dGeometry` uses to express
/// `output_padding`.
public struct Conv1dGeometry: Hashable, Sendable {
    public var batchCount: Int
    public var inputChannelCount: Int
    public var outputChannelCount: Int
    public var inputLength: Int
    public var kernelSize: Int
    public var stride: Int
    public var paddingLeft: Int
    public var paddingRight: Int
    public var dilation: Int
    public var groupCount: Int

    public init(
        batchCount: Int, inputChannelCount: Int, outputChannelCount: Int, inputLength: Int,
        kernelSize: Int, stride: Int = 1, paddingLeft: Int = 0, paddingRight: Int = 0,
        dilation: Int = 1, groupCount: Int = 1
    ) {
        precondition(batchCount >= 0 && inputLength >= 0, "conv1d: negative size")
        precondition(kernelSize >= 1 && stride >= 1 && dilation >= 1, "conv1d: kernel, stride and dilation must be ≥ 1")
        precondition(groupCount >= 1 && inputChannelCount % groupCount == 0 && outputChannelCount % groupCount == 0,
                     "conv1d: channels \(inputChannelCount)→\(outputChannelCount) not divisible by \(groupCount) groups")
        self.batchCount = batchCount
        self.inputChannelCount = inputChannelCount
        self.outputChannelCount = outputChannelCount
        self.inputLength = inputLength
        self.kernelSize = kernelSize
        self.stride = stride
        self.paddingLeft = paddingLeft
        self.paddingRight = paddingRight
        self.dilation = dilation
        self.groupCount = groupCount
        precondition(paddedLength >= kernelExtent, "conv1d: kernel extent \(kernelExtent) exceeds padded input \(paddedLength)")
    }

    /// Samples spanned by one dilated kernel: `dilation · (kernelSize − 1) + 1`.
    public var kernelExtent: Int { dilation * (kernelSize - 1) + 1 }

    var paddedLength: Int { inputLength + paddingLeft + paddingRight }

    /// `⌊(inputLength + paddingLeft + paddingRight − kernelExtent) / stride⌋ + 1`.
    public var outputLength: Int { (paddedLength - kernelExtent) / stride + 1 }

    public var inputChannelsPerGroup: Int { inputChannelCount / groupCount }
    public var outputChannelsPerGroup: Int { outputChannelCount / groupCount }

    /// Element counts of the three tensors.
    public var inputElementCount: Int { batchCount * inputChannelCount * inputLength }
    public var outputElementCount: Int { batchCount * outputChannelCount * outputLength }
    public var weightElementCount: Int { outputChannelCount * inputChannelsPerGroup * kernelSize }

    /// Rows of the im2col buffer of one group: `inputChannelsPerGroup · kernelSize`.
    var columnRowCount: Int { inputChannelsPerGroup * kernelSize }

    /// A 1×1, stride-1, unpadded convolution is a plain matrix product with the input itself as
    /// the column buffer, so im2col is skipped.
    var isPointwise: Bool { kernelSize == 1 && stride == 1 && paddingLeft == 0 && paddingRight == 0 }

    /// Multiply-adds of one (batch item, group) product.
    var multiplyAddsPerGroup: Int { outputChannelsPerGroup * columnRowCount * outputLength }
}
