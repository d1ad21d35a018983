// Two-dimensional convolution as a differentiable tensor op over `Kernels/Conv2dKernels.swift`.
// ref: PyTorch `torch.nn.functional.conv2d` (argument names, weight layout, output size).

/// Cross-correlation of `input` with `weight`, plus `bias` (`torch.nn.functional.conv2d`), zero
/// padding on both sides of each spatial axis.
///
/// - Parameters:
///   - input: `[batch, inputChannels, height, width]`.
///   - weight: `[outputChannels, inputChannels / groups, kernelHeight, kernelWidth]`.
///   - bias: `[outputChannels]`, or `nil`.
///   - stride, padding, dilation: (height, width).
/// - Returns: `[batch, outputChannels, ⌊(H + 2·padH − dilH·(kH − 1) − 1)/strideH⌋ + 1, … same for width]`.
///   Differentiable with respect to input, weight and bias.
public func conv2d(
    _ input: Tensor, weight: Tensor, bias: Tensor? = nil,
    stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1
) -> Tensor {
    precondition(input.rank == 4, "conv2d: input must be [batch, channels, height, width], got \(input.shape)")
    precondition(weight.rank == 4, "conv2d: weight must be [out, in / groups, kH, kW], got \(weight.shape)")
    precondition(weight.shape[1] * groups == input.shape[1],
                 "conv2d: weight \(weight.shape) with \(groups) groups does not take \(input.shape[1]) input channels")
    if let bias { precondition(bias.shape == [weight.shape[0]], "conv2d: bias \(bias.shape) for weight \(weight.shape)") }
    let g = Conv2dGeometry(
        batchCount: input.shape[0], inputChannelCount: input.shape[1], outputChannelCount: weight.shape[0],
        inputHeight: input.shape[2], inputWidth: input.shape[3], kernelHeight: weight.shape[2],
        kernelWidth: weight.shape[3], stride: stride, padding: padding, dilation: dilation, groupCount: groups)
    let x = input, w = weight
    let result = Tensor(shape: [g.batchCount, g.outputChannelCount, g.outputHeight, g.outputWidth]) { out in
        guard out.count > 0 else { return }
        x.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                if let bias {
                    bias.withUnsafeBufferPointer { bp in
                        Conv2dKernels.forward(g, input: xp.baseAddress!, weight: wp.baseAddress!, bias: bp.baseAddress,
                                              output: out.baseAddress!)
                    }
                } else {
                    Conv2dKernels.forward(g, input: xp.baseAddress!, weight: wp.baseAddress!, bias: nil,
                                          output: out.baseAddress!)
                }
            }
        }
    }
    return Tensor.recording("conv2d", result: result, inputs: [input, weight] + (bias.map { [$0] } ?? [])) { dy in
        conv2dPullback(g, outputGradient: dy, input: x, weight: w, inputNeedsGradient: input.requiresGradient,
                       weightNeedsGradient: weight.requiresGradient, bias: bias)
    }
}

/// The input, weight and (when there is one) bias gradients of `conv2d`.
private func conv2dPullback(_ g: Conv2dGeometry, outputGradient dy: Tensor, input: Tensor, weight: Tensor,
                            inputNeedsGradient: Bool, weightNeedsGradient: Bool, bias: Tensor?) -> [Tensor?] {
    let inputGradient = inputNeedsGradient ? Tensor(shape: input.shape) { dx in
        guard dx.count > 0 else { return }
        dy.withUnsafeBufferPointer { dyp in
            weight.withUnsafeBufferPointer { wp in
                Conv2dKernels.backwardInput(g, outputGradient: dyp.baseAddress!, weight: wp.baseAddress!,
                                            inputGradient: dx.baseAddress!)
            }
        }
    } : nil
    let needBias = bias?.requiresGradient ?? false
    var weightGradient: Tensor?, biasGradient: Tensor?
    if weightNeedsGradient || needBias {
        let dw = Tensor(shape: weight.shape, repeating: 0)
        let db = Tensor(shape: [g.outputChannelCount], repeating: 0)
        dw.withUnsafeMutableBufferPointer { dwp in
            db.withUnsafeMutableBufferPointer { dbp in
                dy.withUnsafeBufferPointer { dyp in
                    input.withUnsafeBufferPointer { xp in
                        Conv2dKernels.backwardWeight(g, input: xp.baseAddress!, outputGradient: dyp.baseAddress!,
                                                     weightGradient: dwp.baseAddress!, biasGradient: dbp.baseAddress)
                    }
                }
            }
        }
        weightGradient = weightNeedsGradient ? dw : nil
        biasGradient = needBias ? db : nil
    }
    return [inputGradient, weightGradient] + (bias == nil ? [] : [biasGradient])
}
