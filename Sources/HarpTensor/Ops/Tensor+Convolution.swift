// One-dimensional convolution and transposed convolution as differentiable tensor ops over the
// raw-pointer kernels in `Kernels/ConvolutionKernels*.swift`.
//
// ref: PyTorch `torch.nn.functional.conv1d` / `conv_transpose1d` (argument names, weight layouts,
// output lengths). Padding is zeros on both sides here; other padding modes are `padded(...)`
// before the op, as `torch.nn.Conv1d` does for `padding_mode != "zeros"`.

/// Cross-correlation of `input` with `weight`, plus `bias` (`torch.nn.functional.conv1d`).
///
/// `y[b, o, t] = bias[o] + Σ_{c in o's group} Σ_j weight[o, c, j] · x[b, c, t·stride − padding + j·dilation]`,
/// reading zero outside the input.
///
/// - Parameters:
///   - input: `[batch, inputChannels, time]`.
///   - weight: `[outputChannels, inputChannels / groups, kernelSize]`.
///   - bias: `[outputChannels]`, or `nil`.
///   - padding: zeros added on each side of the time axis.
/// - Returns: `[batch, outputChannels, ⌊(time + 2·padding − dilation·(kernelSize − 1) − 1) / stride⌋ + 1]`.
///
/// Pullbacks: input and weight (and bias) gradients through `conv1dBackwardInput` and
/// `conv1dBackwardWeight`.
public func conv1d(
    _ input: Tensor, weight: Tensor, bias: Tensor? = nil,
    stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1
) -> Tensor {
    precondition(input.rank == 3, "conv1d: input must be [batch, channels, time], got \(input.shape)")
    precondition(weight.rank == 3, "conv1d: weight must be [out, in / groups, kernel], got \(weight.shape)")
    precondition(padding >= 0, "conv1d: negative padding \(padding)")
    precondition(weight.shape[1] * groups == input.shape[1],
                 "conv1d: weight \(weight.shape) with \(groups) groups does not take \(input.shape[1]) input channels")
    if let bias { precondition(bias.shape == [weight.shape[0]], "conv1d: bias \(bias.shape) for weight \(weight.shape)") }
    let geometry = Conv1dGeometry(
        batchCount: input.shape[0], inputChannelCount: input.shape[1], outputChannelCount: weight.shape[0],
        inputLength: input.shape[2], kernelSize: weight.shape[2], stride: stride,
        paddingLeft: padding, paddingRight: padding, dilation: dilation, groupCount: groups)
    return recordedConvolution("conv1d", input: input, weight: weight, bias: bias, kernels: ConvolutionKernelCalls(
        outputShape: [geometry.batchCount, geometry.outputChannelCount, geometry.outputLength],
        forward: { ConvolutionKernels.conv1dForward(geometry, input: $0, weight: $1, bias: $2, output: $3) },
        backwardInput: { ConvolutionKernels.conv1dBackwardInput(geometry, outputGradient: $0, weight: $1, inputGradient: $2) },
        backwardWeight: {
            ConvolutionKernels.conv1dBackwardWeight(geometry, input: $0, outputGradient: $1, weightGradient: $2, biasGradient: $3)
        }))
}

/// Transposed convolution (`torch.nn.functional.conv_transpose1d`), the gradient of `conv1d`
/// with respect to its input: `y[b, o, t·stride − padding + j·dilation] += x[b, c, t] · weight[c, o mod (out/groups), j]`.
///
/// - Parameters:
///   - input: `[batch, inputChannels, time]`.
///   - weight: `[inputChannels, outputChannels / groups, kernelSize]`.
///   - bias: `[outputChannels]`, or `nil`.
///   - padding: samples removed from each end of the full output.
///   - outputPadding: samples added at the end (`< max(stride, dilation)`).
/// - Returns: `[batch, outputChannels, (time − 1)·stride − 2·padding + dilation·(kernelSize − 1) + outputPadding + 1]`.
public func convTranspose1d(
    _ input: Tensor, weight: Tensor, bias: Tensor? = nil,
    stride: Int = 1, padding: Int = 0, outputPadding: Int = 0, dilation: Int = 1, groups: Int = 1
) -> Tensor {
    precondition(input.rank == 3, "convTranspose1d: input must be [batch, channels, time], got \(input.shape)")
    precondition(weight.rank == 3, "convTranspose1d: weight must be [in, out / groups, kernel], got \(weight.shape)")
    precondition(padding >= 0, "convTranspose1d: negative padding \(padding)")
    precondition(weight.shape[0] == input.shape[1],
                 "convTranspose1d: weight \(weight.shape) does not take \(input.shape[1]) input channels")
    let outputChannels = weight.shape[1] * groups
    if let bias { precondition(bias.shape == [outputChannels], "convTranspose1d: bias \(bias.shape), \(outputChannels) outputs") }
    let geometry = ConvTranspose1dGeometry(
        batchCount: input.shape[0], inputChannelCount: input.shape[1], outputChannelCount: outputChannels,
        inputLength: input.shape[2], kernelSize: weight.shape[2], stride: stride,
        paddingLeft: padding, paddingRight: padding, outputPadding: outputPadding,
        dilation: dilation, groupCount: groups)
    return recordedConvolution("convTranspose1d", input: input, weight: weight, bias: bias, kernels: ConvolutionKernelCalls(
        outputShape: [geometry.batchCount, outputChannels, geometry.outputLength],
        forward: { ConvolutionKernels.convTranspose1dForward(geometry, input: $0, weight: $1, bias: $2, output: $3) },
        backwardInput: {
            ConvolutionKernels.convTranspose1dBackwardInput(geometry, outputGradient: $0, weight: $1, inputGradient: $2)
        },
        backwardWeight: {
            ConvolutionKernels.convTranspose1dBackwardWeight(geometry, input: $0, outputGradient: $1, weightGradient: $2,
                                                             biasGradient: $3)
        }))
}

/// One convolution flavour's three kernels, bound to its geometry, and its output shape.
private struct ConvolutionKernelCalls {
    let outputShape: [Int]
    /// (input, weight, bias, output)
    let forward: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>?, UnsafeMutablePointer<Float>) -> Void
    /// (outputGradient, weight, inputGradient)
    let backwardInput: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
    /// (input, outputGradient, weightGradient, biasGradient)
    let backwardWeight: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>?) -> Void
}

/// Runs a convolution's forward kernel and records its pullback: the input gradient through
/// `backwardInput`, the weight and bias gradients through `backwardWeight` (one pass for both).
private func recordedConvolution(_ name: String, input: Tensor, weight: Tensor, bias: Tensor?,
                                 kernels: ConvolutionKernelCalls) -> Tensor {
    let result = Tensor(shape: kernels.outputShape) { out in
        guard out.count > 0 else { return }
        input.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                withOptionalPointer(bias) { b in kernels.forward(x.baseAddress!, w.baseAddress!, b, out.baseAddress!) }
            }
        }
    }
    return Tensor.recording(name, result: result, inputs: [input, weight] + (bias.map { [$0] } ?? [])) { g in
        let inputGradient = input.requiresGradient ? Tensor(shape: input.shape) { dx in
            guard dx.count > 0 else { return }
            g.withUnsafeBufferPointer { dy in
                weight.withUnsafeBufferPointer { w in kernels.backwardInput(dy.baseAddress!, w.baseAddress!, dx.baseAddress!) }
            }
        } : nil
        let (weightGradient, biasGradient) = parameterGradients(
            weightShape: weight.shape, bias: bias, needWeight: weight.requiresGradient
        ) { dw, db in
            g.withUnsafeBufferPointer { dy in
                input.withUnsafeBufferPointer { x in kernels.backwardWeight(x.baseAddress!, dy.baseAddress!, dw, db) }
            }
        }
        return [inputGradient, weightGradient] + (bias == nil ? [] : [biasGradient])
    }
}

/// Calls `body` with `tensor`'s values, or with `nil` when there is no tensor.
private func withOptionalPointer<Result>(_ tensor: Tensor?, _ body: (UnsafePointer<Float>?) -> Result) -> Result {
    guard let tensor else { return body(nil) }
    return tensor.withUnsafeBufferPointer { body($0.baseAddress) }
}

/// Runs a weight-gradient kernel `compute(weightGradient, biasGradient)` once for whichever of
/// the weight and bias gradients are needed (the kernels produce both in one pass). A weight
/// gradient that is not needed still gets scratch memory, because the kernels always write it.
private func parameterGradients(
    weightShape: [Int], bias: Tensor?, needWeight: Bool,
    _ compute: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>?) -> Void
) -> (Tensor?, Tensor?) {
    let needBias = bias?.requiresGradient ?? false
    guard needWeight || needBias else { return (nil, nil) }
    let weightGradient = Tensor(shape: weightShape, repeating: 0)
    let biasGradient = needBias ? Tensor(shape: bias!.shape, repeating: 0) : nil
    weightGradient.withUnsafeMutableBufferPointer { dw in
        if let biasGradient {
            biasGradient.withUnsafeMutableBufferPointer { db in compute(dw.baseAddress!, db.baseAddress) }
        } else {
            compute(dw.baseAddress!, nil)
        }
    }
    return (needWeight ? weightGradient : nil, biasGradient)
}
