/// Conv2d forward and backward kernels over contiguous row-major Float32 buffers: for each
/// (batch item, group), im2col over tiles of output rows and one `sgemm` per tile.
///
/// The column buffer of a tile of output rows `rows` is
/// `[inputChannelsPerGroup · kH · kW, rows.count · outputWidth]` with
/// `column[(c·kH + p)·kW + q, r·outputWidth + j] = x[c, (rows.lowerBound + r)·sH − padH + p·dH, j·sW − padW + q·dW]`.
/// Each output element is produced by one thread in a fixed order, so results do not depend on
/// the thread count (beyond OpenBLAS's own, see `Parallel`).
/// ref: PyTorch `torch.nn.functional.conv2d` and its `convolution_backward`.
public enum Conv2dKernels {
    /// `output = conv2d(input, weight) + bias`.
    public static func forward(_ g: Conv2dGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        forEachTile(g) { item, group, rows, column in
            let x = input + (item * g.inputChannelCount + group * g.inputChannelsPerGroup) * g.inputPlane
            let y = output + (item * g.outputChannelCount + group * g.outputChannelsPerGroup) * g.outputPlane
                + rows.lowerBound * g.outputWidth
            let n = rows.count * g.outputWidth
            for o in 0..<g.outputChannelsPerGroup {
                (y + o * g.outputPlane).update(repeating: bias?[group * g.outputChannelsPerGroup + o] ?? 0, count: n)
            }
            unfold(g, input: x, rows: rows, column: column)
            MatrixKernels.sgemm(m: g.outputChannelsPerGroup, n: n, k: g.columnRowCount,
                                a: weight + group * g.outputChannelsPerGroup * g.columnRowCount, b: column,
                                beta: 1, c: y, ldc: g.outputPlane)
        }
    }

    /// `∂L/∂x` from `∂L/∂y` (overwrites `inputGradient`).
    public static func backwardInput(_ g: Conv2dGeometry, outputGradient: UnsafePointer<Float>,
                                     weight: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>) {
        inputGradient.update(repeating: 0, count: g.batchCount * g.inputChannelCount * g.inputPlane)
        forEachTile(g) { item, group, rows, column in
            let dy = outputGradient + (item * g.outputChannelCount + group * g.outputChannelsPerGroup) * g.outputPlane
                + rows.lowerBound * g.outputWidth
            let dx = inputGradient + (item * g.inputChannelCount + group * g.inputChannelsPerGroup) * g.inputPlane
            let n = rows.count * g.outputWidth
            MatrixKernels.sgemm(transposeA: true, m: g.columnRowCount, n: n, k: g.outputChannelsPerGroup,
                                a: weight + group * g.outputChannelsPerGroup * g.columnRowCount,
                                b: dy, ldb: g.outputPlane, c: column)
            foldAdding(g, column: column, rows: rows, inputGradient: dx)
        }
    }

    /// `∂L/∂w` and `∂L/∂b`, summed over the batch in order (overwrites both).
    public static func backwardWeight(_ g: Conv2dGeometry, input: UnsafePointer<Float>,
                                      outputGradient: UnsafePointer<Float>, weightGradient: UnsafeMutablePointer<Float>,
                                      biasGradient: UnsafeMutablePointer<Float>?) {
        weightGradient.update(repeating: 0, count: g.weightElementCount)
        let tile = g.rowTileLength(budget: ConvolutionKernels.columnBufferBudget)
        let column = UnsafeMutablePointer<Float>.allocate(capacity: max(1, g.columnRowCount * tile * g.outputWidth))
        defer { column.deallocate() }
        for group in 0..<g.groupCount {
            let dw = weightGradient + group * g.outputChannelsPerGroup * g.columnRowCount
            for item in 0..<g.batchCount {
                let x = input + (item * g.inputChannelCount + group * g.inputChannelsPerGroup) * g.inputPlane
                let dy = outputGradient + (item * g.outputChannelCount + group * g.outputChannelsPerGroup) * g.outputPlane
                for rows in rowTiles(g, length: tile) {
                    unfold(g, input: x, rows: rows, column: column)
                    MatrixKernels.sgemm(transposeB: true, m: g.outputChannelsPerGroup, n: g.columnRowCount,
                                        k: rows.count * g.outputWidth, a: dy + rows.lowerBound * g.outputWidth,
                                        lda: g.outputPlane, b: column, beta: 1, c: dw)
                }
            }
        }
        if let biasGradient {
            ConvolutionKernels.sumOverBatchAndTime(outputGradient, batchCount: g.batchCount,
                                                   channelCount: g.outputChannelCount, length: g.outputPlane,
                                                   into: biasGradient)
        }
    }

    // MARK: - Tiling and im2col

    /// Calls `body(item, group, rows, column)` for every tile of output rows of every (item, group),
    /// (item, group) pairs spread over threads, one column buffer per thread.
    private static func forEachTile(_ g: Conv2dGeometry,
                                    _ body: (Int, Int, Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        let pairCount = g.batchCount * g.groupCount
        guard pairCount > 0, g.outputPlane > 0 else { return }
        let tile = g.rowTileLength(budget: ConvolutionKernels.columnBufferBudget)
        let work = g.outputChannelsPerGroup * g.columnRowCount * g.outputPlane
        Parallel.forEachChunk(count: pairCount, minimumChunk: max(1, Parallel.minimumWorkPerThread / max(1, work))) { pairs in
            let column = UnsafeMutablePointer<Float>.allocate(capacity: max(1, g.columnRowCount * tile * g.outputWidth))
            defer { column.deallocate() }
            for pair in pairs {
                for rows in rowTiles(g, length: tile) { body(pair / g.groupCount, pair % g.groupCount, rows, column) }
            }
        }
    }

    private static func rowTiles(_ g: Conv2dGeometry, length: Int) -> [Range<Int>] {
        stride(from: 0, to: g.outputHeight, by: length).map { $0..<min($0 + length, g.outputHeight) }
    }

    /// Fills the column matrix of one group's input `x[inputChannelsPerGroup, H, W]` for output rows `rows`.
    static func unfold(_ g: Conv2dGeometry, input x: UnsafePointer<Float>, rows: Range<Int>,
                       column: UnsafeMutablePointer<Float>) {
        let n = rows.count * g.outputWidth
        for c in 0..<g.inputChannelsPerGroup {
            for p in 0..<g.kernelHeight {
                for q in 0..<g.kernelWidth {
                    let destination = column + ((c * g.kernelHeight + p) * g.kernelWidth + q) * n
                    for (r, i) in rows.enumerated() {
                        let inputRow = i * g.strideHeight - g.paddingHeight + p * g.dilationHeight
                        let target = destination + r * g.outputWidth
                        guard inputRow >= 0 && inputRow < g.inputHeight else {
                            target.update(repeating: 0, count: g.outputWidth)
                            continue
                        }
                        let source = x + (c * g.inputHeight + inputRow) * g.inputWidth
                        let offset = q * g.dilationWidth - g.paddingWidth
                        for j in 0..<g.outputWidth {
                            let column = j * g.strideWidth + offset
                            target[j] = column >= 0 && column < g.inputWidth ? source[column] : 0
                        }
                    }
                }
            }
        }
    }

    /// Adds a column matrix (as `unfold` lays it out) into one group's input gradient.
    static func foldAdding(_ g: Conv2dGeometry, column: UnsafePointer<Float>, rows: Range<Int>,
                           inputGradient dx: UnsafeMutablePointer<Float>) {
        let n = rows.count * g.outputWidth
        for c in 0..<g.inputChannelsPerGroup {
            for p in 0..<g.kernelHeight {
                for q in 0..<g.kernelWidth {
                    let source = column + ((c * g.kernelHeight + p) * g.kernelWidth + q) * n
                    for (r, i) in rows.enumerated() {
                        let inputRow = i * g.strideHeight - g.paddingHeight + p * g.dilationHeight
                        guard inputRow >= 0 && inputRow < g.inputHeight else { continue }
                        let target = dx + (c * g.inputHeight + inputRow) * g.inputWidth
                        let offset = q * g.dilationWidth - g.paddingWidth
                        let values = source + r * g.outputWidth
                        for j in 0..<g.outputWidth {
                            let column = j * g.strideWidth + offset
                            if column >= 0 && column < g.inputWidth { target[column] += values[j] }
                        }
                    }
                }
            }
        }
    }
}
