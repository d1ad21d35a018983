// The copy behind `permuted` and `transposed` (Tensor+Shape.swift).

/// Copies that reorder axes.
enum TransposeKernel {
    /// `out[b, j, i] = x[b, i, j]` in 32×32 tiles, so both sides stay in cache.
    static func transposeLastTwo(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                 batch: Int, rows: Int, columns: Int) {
        let tile = 32
        let tilesPerMatrix = ((rows + tile - 1) / tile)
        Parallel.forEachChunk(count: batch * tilesPerMatrix, minimumChunk: Swift.max(1, 2048 / Swift.max(columns, 1))) { range in
            for job in range {
                let b = job / tilesPerMatrix, i0 = (job % tilesPerMatrix) * tile
                let source = x + b * rows * columns, target = out + b * rows * columns
                for j0 in stride(from: 0, to: columns, by: tile) {
                    for i in i0..<Swift.min(i0 + tile, rows) {
                        for j in j0..<Swift.min(j0 + tile, columns) { target[j * rows + i] = source[i * columns + j] }
                    }
                }
            }
        }
    }

    /// `out` (row-major `shape`) from `x` read at `strides`: the general permutation.
    static func gather(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, shape: [Int], strides: [Int]) {
        let rank = shape.count, inner = shape[rank - 1], innerStride = strides[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var source = 0
        for row in 0..<(Shape.count(shape) / inner) {
            let target = out + row * inner
            for j in 0..<inner { target[j] = x[source + j * innerStride] }
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                source += strides[axis]
                if index[axis] < shape[axis] { break }
                source -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
