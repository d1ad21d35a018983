/// Conv1d forward and backward kernels over contiguous row-major Float32 buffers.
///
/// Method: for each (batch item, group), im2col over a tile of output frames followed by one
/// `sgemm`; 1×1 stride-1 unpadded convolutions multiply the input directly. When one product is
/// small, (batch item, group) pairs run on separate threads; otherwise they run in order and
/// OpenBLAS and the im2col loops use the threads. Harp's own split never changes a result
/// (each output element is produced by one thread in a fixed order, and the weight gradient sums
/// the batch in order); OpenBLAS's threading can change last bits between thread counts — see
/// `Parallel`.
///
/// Shapes are those of `Conv1dGeometry`. Outputs are overwritten, never accumulated into.
/// ref: PyTorch `torch.nn.functional.conv1d` and its `convolution_backward`.
public enum ConvolutionKernels {
    /// Upper bound on one thread's column buffer, in floats (8 MiB): long signals are processed
    /// in frame tiles so the buffer stays cache-friendly and memory stays bounded.
    static let columnBufferBudget = 1 << 21

    /// `output = conv1d(input, weight) + bias`.
    ///
    /// - Parameters:
    ///   - input: `[batch, inputChannels, inputLength]`.
    ///   - weight: `[outputChannels, inputChannels / groups, kernelSize]`.
    ///   - bias: `[outputChannels]`, or `nil` for none.
    ///   - output: `[batch, outputChannels, outputLength]`.
    public static func conv1dForward(
        _ geometry: Conv1dGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>
    ) {
        let g = geometry
        let weightStride = g.outputChannelsPerGroup * g.columnRowCount
        forEachGroupProduct(g) { item, group, column, innerParallel in
            let x = input + item * g.inputChannelCount * g.inputLength + group * g.inputChannelsPerGroup * g.inputLength
            let w = weight + group * weightStride
            let y = output + (item * g.outputChannelCount + group * g.outputChannelsPerGroup) * g.outputLength
            fillRows(y, rowCount: g.outputChannelsPerGroup, length: g.outputLength,
                     values: bias.map { $0 + group * g.outputChannelsPerGroup })
            if g.isPointwise {
                MatrixKernels.sgemm(m: g.outputChannelsPerGroup, n: g.outputLength, k: g.inputChannelsPerGroup,
                                    a: w, b: x, beta: 1, c: y)
                return
            }
            for frames in frameTiles(g) {
                Im2Col.unfold(g, input: x, frames: frames, column: column, parallel: innerParallel)
                MatrixKernels.sgemm(m: g.outputChannelsPerGroup, n: frames.count, k: g.columnRowCount,
                                    a: w, b: column, beta: 1, c: y + frames.lowerBound, ldc: g.outputLength)
            }
        }
    }

    /// Gradient of `conv1dForward` with respect to its input: `∂L/∂x` from `∂L/∂y`.
    ///
    /// - Parameters:
    ///   - outputGradient: `[batch, outputChannels, outputLength]`.
    ///   - weight: `[outputChannels, inputChannels / groups, kernelSize]`.
    ///   - inputGradient: `[batch, inputChannels, inputLength]`, overwritten.
    public static func conv1dBackwardInput(
        _ geometry: Conv1dGeometry, outputGradient: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        inputGradient: UnsafeMutablePointer<Float>
    ) {
        let g = geometry
        let weightStride = g.outputChannelsPerGroup * g.columnRowCount
        forEachGroupProduct(g) { item, group, column, innerParallel in
            let dy = outputGradient + (item * g.outputChannelCount + group * g.outputChannelsPerGroup) * g.outputLength
            let w = weight + group * weightStride
            let dx = inputGradient + item * g.inputChannelCount * g.inputLength + group * g.inputChannelsPerGroup * g.inputLength
            if g.isPointwise {
                MatrixKernels.sgemm(transposeA: true, m: g.inputChannelsPerGroup, n: g.outputLength,
                                    k: g.outputChannelsPerGroup, a: w, b: dy, c: dx)
                return
            }
            dx.update(repeating: 0, count: g.inputChannelsPerGroup * g.inputLength)
            for frames in frameTiles(g) {
                // column[rows, frames] = wᵀ[rows, outCh] × dy[outCh, frames]
                MatrixKernels.sgemm(transposeA: true, m: g.columnRowCount, n: frames.count, k: g.outputChannelsPerGroup,
                                    a: w, b: dy + frames.lowerBound, ldb: g.outputLength, c: column)
                Im2Col.foldAdding(g, column: column, frames: frames, inputGradient: dx, parallel: innerParallel)
            }
        }
    }

    /// Gradients of `conv1dForward` with respect to its weight and bias, summed over the batch.
    ///
    /// - Parameters:
    ///   - input: `[batch, inputChannels, inputLength]`.
    ///   - outputGradient: `[batch, outputChannels, outputLength]`.
    ///   - weightGradient: `[outputChannels, inputChannels / groups, kernelSize]`, overwritten.
    ///   - biasGradient: `[outputChannels]`, overwritten; `nil` to skip.
    public static func conv1dBackwardWeight(
        _ geometry: Conv1dGeometry, input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
        weightGradient: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>?
    ) {
        let g = geometry
        let weightStride = g.outputChannelsPerGroup * g.columnRowCount
        weightGradient.update(repeating: 0, count: g.weightElementCount)
        // Groups own disjoint weight slices; the batch is summed in order inside each group.
        forEachGroup(g) { group, column, innerParallel in
            let dw = weightGradient + group * weightStride
            for item in 0..<g.batchCount {
                let x = input + item * g.inputChannelCount * g.inputLength + group * g.inputChannelsPerGroup * g.inputLength
                let dy = outputGradient + (item * g.outputChannelCount + group * g.outputChannelsPerGroup) * g.outputLength
                if g.isPointwise {
                    MatrixKernels.sgemm(transposeB: true, m: g.outputChannelsPerGroup, n: g.inputChannelsPerGroup,
                                        k: g.outputLength, a: dy, b: x, beta: 1, c: dw)
                    continue
                }
                for frames in frameTiles(g) {
                    // dw[outCh, rows] += dy[outCh, frames] × columnᵀ[frames, rows]
                    Im2Col.unfold(g, input: x, frames: frames, column: column, parallel: innerParallel)
                    MatrixKernels.sgemm(transposeB: true, m: g.outputChannelsPerGroup, n: g.columnRowCount,
                                        k: frames.count, a: dy + frames.lowerBound, lda: g.outputLength,
                                        b: column, beta: 1, c: dw)
                }
            }
        }
        if let biasGradient {
            sumOverBatchAndTime(outputGradient, batchCount: g.batchCount, channelCount: g.outputChannelCount,
                                length: g.outputLength, into: biasGradient)
        }
    }
}
