/// How convolution work is split into (batch item, group) products, frame tiles and threads.
extension ConvolutionKernels {
    /// Frames per tile: as many as fit the column budget (at least one).
    static func frameTileLength(_ g: Conv1dGeometry) -> Int {
        max(1, min(g.outputLength, columnBufferBudget / max(1, g.columnRowCount)))
    }

    static func frameTiles(_ g: Conv1dGeometry) -> [Range<Int>] {
        let tileLength = frameTileLength(g)
        return stride(from: 0, to: g.outputLength, by: tileLength).map { $0..<min($0 + tileLength, g.outputLength) }
    }

    /// Column buffer size for one thread.
    static func columnBufferCount(_ g: Conv1dGeometry) -> Int {
        g.isPointwise ? 0 : g.columnRowCount * frameTileLength(g)
    }

    /// Calls `body(item, group, column, innerParallel)` for every (batch item, group) pair.
    ///
    /// Small products are spread over threads, one column buffer per thread, and run
    /// single-threaded inside; large ones run in order with `innerParallel` set so the im2col
    /// loops use the threads (OpenBLAS already does).
    static func forEachGroupProduct(
        _ g: Conv1dGeometry, _ body: (Int, Int, UnsafeMutablePointer<Float>, Bool) -> Void
    ) {
        let pairCount = g.batchCount * g.groupCount
        guard pairCount > 0, g.outputLength > 0 else { return }
        let small = MatrixKernels.isSmallProduct(m: g.outputChannelsPerGroup, n: frameTileLength(g), k: g.columnRowCount)
        let pairsPerChunk = small ? max(1, Parallel.minimumWorkPerThread / max(1, g.multiplyAddsPerGroup)) : pairCount
        Parallel.forEachChunk(count: pairCount, minimumChunk: pairsPerChunk) { pairs in
            withColumnBuffer(g) { column in
                for pair in pairs { body(pair / g.groupCount, pair % g.groupCount, column, !small) }
            }
        }
    }

    /// Calls `body(group, column, innerParallel)` for every group; groups run on separate
    /// threads when their products are small.
    static func forEachGroup(_ g: Conv1dGeometry, _ body: (Int, UnsafeMutablePointer<Float>, Bool) -> Void) {
        guard g.batchCount > 0, g.outputLength > 0 else { return }
        let small = MatrixKernels.isSmallProduct(m: g.outputChannelsPerGroup, n: g.columnRowCount, k: frameTileLength(g))
        let groupWork = max(1, g.multiplyAddsPerGroup * g.batchCount)
        let groupsPerChunk = small ? max(1, Parallel.minimumWorkPerThread / groupWork) : g.groupCount
        Parallel.forEachChunk(count: g.groupCount, minimumChunk: groupsPerChunk) { groups in
            withColumnBuffer(g) { column in
                for group in groups { body(group, column, !small) }
            }
        }
    }

    private static func withColumnBuffer(_ g: Conv1dGeometry, _ body: (UnsafeMutablePointer<Float>) -> Void) {
        let column = UnsafeMutablePointer<Float>.allocate(capacity: max(1, columnBufferCount(g)))
        defer { column.deallocate() }
        body(column)
    }

    /// Sets each row of `rows[rowCount, length]` to `values[row]`, or to zero without values.
    static func fillRows(_ rows: UnsafeMutablePointer<Float>, rowCount: Int, length: Int, values: UnsafePointer<Float>?) {
        for row in 0..<rowCount {
            (rows + row * length).update(repeating: values?[row] ?? 0, count: length)
        }
    }

    /// `sums[c] = Σ_b Σ_t x[b, c, t]` for `x[batch, channels, length]`; each channel's sum is
    /// taken by one thread in a fixed order (batch, then time in 8 interleaved lanes).
    static func sumOverBatchAndTime(
        _ x: UnsafePointer<Float>, batchCount: Int, channelCount: Int, length: Int,
        into sums: UnsafeMutablePointer<Float>
    ) {
        let channelsPerChunk = max(1, Parallel.minimumWorkPerThread / max(1, batchCount * length))
        Parallel.forEachChunk(count: channelCount, minimumChunk: channelsPerChunk) { channels in
            for channel in channels {
                var lanes = SIMD8<Float>()
                var tail: Float = 0
                for item in 0..<batchCount {
                    let row = x + (item * channelCount + channel) * length
                    let vectorCount = length / 8
                    for v in 0..<vectorCount {
                        lanes += UnsafeRawPointer(row + v * 8).loadUnaligned(as: SIMD8<Float>.self)
                    }
                    for t in (vectorCount * 8)..<length { tail += row[t] }
                }
                sums[channel] = lanes.sum() + tail
            }
        }
    }
}
