// The copy behind `permuted` and `transposed` (Tensor+Shape.swift).

/// Copies that reorder axes.
enum TransposeKernel {
    /// `out[b, j, i] = x[b, i, j]` in 8×8 tiles. Small tiles matter for power-of-two sizes: rows
    /// 16 KB apart fall in one L1 set, and 8 lines per set is what an 8-way cache holds (32×32
    /// tiles measured 2× slower on [4096, 4096]).
    static func transposeLastTwo(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                 batch: Int, rows: Int, columns: Int) {
        let tile = 8
        let bandsPerMatrix = (rows + tile - 1) / tile
        Parallel.forEachChunk(count: batch * bandsPerMatrix, minimumChunk: Swift.max(1, 8192 / Swift.max(columns, 1))) { range in
            for job in range {
                let b = job / bandsPerMatrix, i0 = (job % bandsPerMatrix) * tile
                let source = x + b * rows * columns, target = out + b * rows * columns
                let i1 = Swift.min(i0 + tile, rows)
                for j0 in stride(from: 0, to: columns, by: tile) {
                    for j in j0..<Swift.min(j0 + tile, columns) {
                        for i in i0..<i1 { target[j * rows + i] = source[i * columns + j] }
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
