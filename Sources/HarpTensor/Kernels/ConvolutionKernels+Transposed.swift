/// Transposed conv1d kernels, expressed through the conv1d kernels of the adjoint convolution
/// (`ConvTranspose1dGeometry.convolution`), which shares the weight buffer unchanged:
/// transposed forward = conv backward-input, transposed backward-input = conv forward, and the
/// weight gradient is the conv weight gradient with the roles of input and output swapped.
///
/// ref: PyTorch `torch.nn.functional.conv_transpose1d`.
extension ConvolutionKernels {
    /// `output = conv_transpose1d(input, weight) + bias`.
    ///
    /// - Parameters:
    ///   - input: `[batch, inputChannels, inputLength]`.
    ///   - weight: `[inputChannels, outputChannels / groups, kernelSize]`.
    ///   - bias: `[outputChannels]`, or `nil`.
    ///   - output: `[batch, outputChannels, outputLength]`, overwritten.
    public static func convTranspose1dForward(
        _ geometry: ConvTranspose1dGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>
    ) {
        conv1dBackwardInput(geometry.convolution, outputGradient: input, weight: weight, inputGradient: output)
        if let bias {
            addToRows(output, batchCount: geometry.batchCount, channelCount: geometry.outputChannelCount,
                      length: geometry.outputLength, values: bias)
        }
    }

    /// Gradient of `convTranspose1dForward` with respect to its input.
    ///
    /// - Parameters:
    ///   - outputGradient: `[batch, outputChannels, outputLength]`.
    ///   - weight: `[inputChannels, outputChannels / groups, kernelSize]`.
    ///   - inputGradient: `[batch, inputChannels, inputLength]`, overwritten.
    public static func convTranspose1dBackwardInput(
        _ geometry: ConvTranspose1dGeometry, outputGradient: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        inputGradient: UnsafeMutablePointer<Float>
    ) {
        conv1dForward(geometry.convolution, input: outputGradient, weight: weight, bias: nil, output: inputGradient)
    }

    /// Gradients of `convTranspose1dForward` with respect to weight and bias, summed over the batch.
    ///
    /// - Parameters:
    ///   - input: `[batch, inputChannels, inputLength]`.
    ///   - outputGradient: `[batch, outputChannels, outputLength]`.
    ///   - weightGradient: `[inputChannels, outputChannels / groups, kernelSize]`, overwritten.
    ///   - biasGradient: `[outputChannels]`, overwritten; `nil` to skip.
    public static func convTranspose1dBackwardWeight(
        _ geometry: ConvTranspose1dGeometry, input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
        weightGradient: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>?
    ) {
        // In the adjoint convolution our output is its input and our input its output.
        conv1dBackwardWeight(geometry.convolution, input: outputGradient, outputGradient: input,
                             weightGradient: weightGradient, biasGradient: nil)
        if let biasGradient {
            sumOverBatchAndTime(outputGradient, batchCount: geometry.batchCount, channelCount: geometry.outputChannelCount,
                                length: geometry.outputLength, into: biasGradient)
        }
    }

    /// `x[b, c, t] += values[c]` for `x[batch, channels, length]`.
    static func addToRows(
        _ x: UnsafeMutablePointer<Float>, batchCount: Int, channelCount: Int, length: Int, values: UnsafePointer<Float>
    ) {
        let rowsPerChunk = max(1, Parallel.minimumWorkPerThread / max(1, length))
        Parallel.forEachChunk(count: batchCount * channelCount, minimumChunk: rowsPerChunk) { rows in
            for row in rows {
                let value = values[row % channelCount]
                let start = x + row * length
                for t in 0..<length { start[t] += value }
            }
        }
    }
}
