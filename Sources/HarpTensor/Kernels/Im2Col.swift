/// Unfolds one group of a 1-D signal into the column matrix of a convolution, and folds column
/// gradients back.
///
/// For a group's input `x[inputChannelsPerGroup, inputLength]`, the column buffer over output
/// frames `frames` is `[inputChannelsPerGroup · kernelSize, frames.count]` with
/// `column[c·kernelSize + j, u] = x[c, (frames.lowerBound + u)·stride − paddingLeft + j·dilation]`
/// (zero outside the input), so the convolution becomes `weight[outCh, rows] × column`.
enum Im2Col {
    /// Fills `column` for output frames `frames`. Rows are independent, so large buffers are
    /// filled by several threads when `parallel` is set.
    static func unfold(
        _ geometry: Conv1dGeometry, input: UnsafePointer<Float>, frames: Range<Int>,
        column: UnsafeMutablePointer<Float>, parallel: Bool
    ) {
        let rowCount = geometry.columnRowCount
        let frameCount = frames.count
        let rowsPerChunk = parallel ? max(1, Parallel.minimumWorkPerThread / max(1, frameCount)) : rowCount
        Parallel.forEachChunk(count: rowCount, minimumChunk: rowsPerChunk) { rows in
            for row in rows {
                let channel = row / geometry.kernelSize
                let tap = row % geometry.kernelSize
                let span = TapSpan(geometry, tap: tap, frames: frames)
                let source = input + channel * geometry.inputLength
                let destination = column + row * frameCount
                destination.update(repeating: 0, count: span.validStart)
                copyStrided(source + span.firstIndex, stride: geometry.stride,
                            into: destination + span.validStart, count: span.validCount)
                (destination + span.validEnd).update(repeating: 0, count: frameCount - span.validEnd)
            }
        }
    }

    /// Adds `column` (laid out as `unfold` writes it) into the group's input gradient
    /// `[inputChannelsPerGroup, inputLength]`. Each channel's taps are added in ascending order
    /// by one thread, so the sums do not depend on the thread count.
    static func foldAdding(
        _ geometry: Conv1dGeometry, column: UnsafePointer<Float>, frames: Range<Int>,
        inputGradient: UnsafeMutablePointer<Float>, parallel: Bool
    ) {
        let frameCount = frames.count
        let channelWork = max(1, frameCount * geometry.kernelSize)
        let channelsPerChunk = parallel ? max(1, Parallel.minimumWorkPerThread / channelWork) : geometry.inputChannelsPerGroup
        Parallel.forEachChunk(count: geometry.inputChannelsPerGroup, minimumChunk: channelsPerChunk) { channels in
            for channel in channels {
                let destination = inputGradient + channel * geometry.inputLength
                for tap in 0..<geometry.kernelSize {
                    let span = TapSpan(geometry, tap: tap, frames: frames)
                    let source = column + (channel * geometry.kernelSize + tap) * frameCount + span.validStart
                    addStrided(source, into: destination + span.firstIndex, count: span.validCount, stride: geometry.stride)
                }
            }
        }
    }

    /// `target[u·stride] += source[u]`; the unit-stride case is written separately so it vectorises.
    @inline(__always)
    private static func addStrided(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, count: Int, stride: Int) {
        if stride == 1 {
            for u in 0..<count { target[u] += source[u] }
        } else {
            for u in 0..<count { target[u * stride] += source[u] }
        }
    }

    /// `target[u] = source[u·stride]`.
    @inline(__always)
    private static func copyStrided(_ source: UnsafePointer<Float>, stride: Int, into target: UnsafeMutablePointer<Float>, count: Int) {
        if stride == 1 {
            target.update(from: source, count: count)
        } else {
            for u in 0..<count { target[u] = source[u * stride] }
        }
    }
}

/// The frames of one kernel tap that read inside the input: local frames
/// `validStart..<validEnd` read input indices `firstIndex, firstIndex + stride, …`.
struct TapSpan {
    let validStart: Int
    let validEnd: Int
    let firstIndex: Int

    var validCount: Int { validEnd - validStart }

    init(_ geometry: Conv1dGeometry, tap: Int, frames: Range<Int>) {
        let stride = geometry.stride
        // Input index of local frame u: base + u·stride.
        let base = frames.lowerBound * stride - geometry.paddingLeft + tap * geometry.dilation
        let start = min(frames.count, max(0, ceilDivide(-base, stride)))
        let end = max(start, min(frames.count, ceilDivide(geometry.inputLength - base, stride)))
        validStart = start
        validEnd = end
        firstIndex = base + start * stride
    }
}

/// `⌈a / b⌉` for `b > 0` and any sign of `a`.
@inline(__always)
func ceilDivide(_ a: Int, _ b: Int) -> Int {
    a >= 0 ? (a + b - 1) / b : -((-a) / b)
}
