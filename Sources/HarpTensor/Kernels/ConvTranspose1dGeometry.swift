/// The shapes and hyper-parameters of a one-dimensional transposed convolution.
///
/// Input `[batchCount, inputChannelCount, inputLength]`, weight
/// `[inputChannelCount, outputChannelCount / groupCount, kernelSize]`, output
/// `[batchCount, outputChannelCount, outputLength]` with
/// `outputLength = (inputLength − 1)·stride − paddingLeft − paddingRight + dilation·(kernelSize − 1) + outputPadding + 1`
/// and `y[b, o, t·stride − paddingLeft + j·dilation] += x[b, c, t] · w[c, o mod (outputChannelCount/groupCount), j]`.
///
/// It is the gradient of `convolution` (a `Conv1dGeometry` from `outputLength` back to
/// `inputLength`) with respect to that convolution's input, which is how the kernels compute it.
///
/// ref: PyTorch `torch.nn.ConvTranspose1d` (weight layout, `output_padding`, output length);
/// PyTorch pads both sides equally, here each side is given.
public struct ConvTranspose1dGeometry: Hashable, Sendable {
    public var batchCount: Int
    public var inputChannelCount: Int
    public var outputChannelCount: Int
    public var inputLength: Int
    public var kernelSize: Int
    public var stride: Int
    public var paddingLeft: Int
    public var paddingRight: Int
    public var outputPadding: Int
    public var dilation: Int
    public var groupCount: Int

    public init(
        batchCount: Int, inputChannelCount: Int, outputChannelCount: Int, inputLength: Int,
        kernelSize: Int, stride: Int = 1, paddingLeft: Int = 0, paddingRight: Int = 0,
        outputPadding: Int = 0, dilation: Int = 1, groupCount: Int = 1
    ) {
        // ref: PyTorch requires output_padding < max(stride, dilation).
        precondition(outputPadding >= 0 && outputPadding < max(stride, dilation),
                     "convTranspose1d: output padding \(outputPadding) must be < max(stride, dilation)")
        self.batchCount = batchCount
        self.inputChannelCount = inputChannelCount
        self.outputChannelCount = outputChannelCount
        self.inputLength = inputLength
        self.kernelSize = kernelSize
        self.stride = stride
        self.paddingLeft = paddingLeft
        self.paddingRight = paddingRight
        self.outputPadding = outputPadding
        self.dilation = dilation
        self.groupCount = groupCount
        precondition(inputLength >= 1 && outputLength >= 1, "convTranspose1d: empty output")
        precondition(convolution.outputLength == inputLength, "convTranspose1d: inconsistent geometry")
    }

    public var outputLength: Int {
        (inputLength - 1) * stride - paddingLeft - paddingRight + dilation * (kernelSize - 1) + outputPadding + 1
    }

    public var inputElementCount: Int { batchCount * inputChannelCount * inputLength }
    public var outputElementCount: Int { batchCount * outputChannelCount * outputLength }
    public var weightElementCount: Int { inputChannelCount * (outputChannelCount / groupCount) * kernelSize }

    /// The convolution whose input gradient this transposed convolution computes: it maps
    /// `[batch, outputChannelCount, outputLength]` to `[batch, inputChannelCount, inputLength]`
    /// with the same weight buffer. `outputPadding` extra samples on the right become a crop
    /// (negative right padding), so its output length is exactly `inputLength`.
    public var convolution: Conv1dGeometry {
        Conv1dGeometry(
            batchCount: batchCount, inputChannelCount: outputChannelCount, outputChannelCount: inputChannelCount,
            inputLength: outputLength, kernelSize: kernelSize, stride: stride,
            paddingLeft: paddingLeft, paddingRight: paddingRight - outputPadding,
            dilation: dilation, groupCount: groupCount)
    }
}
