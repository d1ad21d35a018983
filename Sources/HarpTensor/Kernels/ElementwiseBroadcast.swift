/// How two operands map onto their broadcast result: the result's shape with adjacent axes merged
/// wherever both operands allow it, and each operand's strides in elements (0 on broadcast axes).
///
/// Merging makes the common cases one or two loops: a `[B, C, T] + [C, 1]` add becomes rows of
/// `T` values where `b` is constant per row; `[N, T] + [T]` becomes rows where `b` is contiguous.
struct BroadcastLayout {
    var shape: [Int]
    var stridesA: [Int]
    var stridesB: [Int]

    init(output: [Int], a: [Int], b: [Int]) {
        func strides(of operand: [Int]) -> [Int] {
            let padded = [Int](repeating: 1, count: output.count - operand.count) + operand
            let contiguous = Shape.strides(padded)
            return padded.indices.map { padded[$0] == 1 ? 0 : contiguous[$0] }
        }
        var shape: [Int] = [], sa: [Int] = [], sb: [Int] = []
        for (axis, (x, y)) in Swift.zip(strides(of: a), strides(of: b)).enumerated() where output[axis] != 1 {
            if let last = shape.indices.last, sa[last] == x * output[axis], sb[last] == y * output[axis] {
                // The previous (outer) axis steps exactly one run of this axis in both: merge.
                shape[last] *= output[axis]; sa[last] = x; sb[last] = y
            } else {
                shape.append(output[axis]); sa.append(x); sb.append(y)
            }
        }
        if shape.isEmpty { shape = [1]; sa = [0]; sb = [0] }
        self.shape = shape
        stridesA = sa
        stridesB = sb
    }
}

extension ElementwiseKernel {
    /// `out = op(a, b)` with NumPy broadcasting described by `layout`; `out` is contiguous.
    static func broadcastZip<Op: BinaryElementwise>(_ op: Op, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                                    _ out: UnsafeMutablePointer<Float>, layout: BroadcastLayout) {
        let inner = layout.shape[layout.shape.count - 1]
        let innerA = layout.stridesA[layout.shape.count - 1]
        let innerB = layout.stridesB[layout.shape.count - 1]
        let outer = Array(layout.shape.dropLast())
        let rows = Shape.count(outer)
        if outer.isEmpty {
            // One run (equal shapes or a scalar operand): split the run itself across cores.
            Parallel.forEachChunk(count: inner, minimumChunk: parallelThreshold / 2) { range in
                zipRange(op, a + range.lowerBound * innerA, innerA, b + range.lowerBound * innerB, innerB,
                         out + range.lowerBound, 0..<range.count)
            }
            return
        }
        Parallel.forEachChunk(count: rows, minimumChunk: Swift.max(1, parallelThreshold / 2 / Swift.max(inner, 1))) { range in
            // An odometer over the outer axes, started at the chunk's first row.
            var index = [Int](repeating: 0, count: outer.count)
            var remainder = range.lowerBound
            var offsetA = 0, offsetB = 0
            for axis in stride(from: outer.count - 1, through: 0, by: -1) {
                index[axis] = remainder % outer[axis]
                remainder /= outer[axis]
                offsetA += index[axis] * layout.stridesA[axis]
                offsetB += index[axis] * layout.stridesB[axis]
            }
            for row in range {
                zipRange(op, a + offsetA, innerA, b + offsetB, innerB, out + row * inner, 0..<inner)
                var axis = outer.count - 1
                while axis >= 0 {
                    index[axis] += 1
                    offsetA += layout.stridesA[axis]
                    offsetB += layout.stridesB[axis]
                    if index[axis] < outer[axis] { break }
                    offsetA -= layout.stridesA[axis] * outer[axis]
                    offsetB -= layout.stridesB[axis] * outer[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
    }
}
