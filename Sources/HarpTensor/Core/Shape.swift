/// Shape arithmetic shared by the ops: element counts, row-major strides and NumPy broadcasting.
public enum Shape {
    /// The number of elements of a tensor with `shape` (1 for a scalar, `[]`).
    @inlinable
    public static func count(_ shape: [Int]) -> Int {
        shape.reduce(1, *)
    }

    /// Row-major (C-order) strides, in elements.
    public static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// The shape two operands broadcast to (NumPy rules: align on the right, sizes equal or 1),
    /// or `nil` when they do not broadcast.
    public static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard da == db || da == 1 || db == 1 else { return nil }
            result[i] = da == 1 ? db : da
        }
        return result
    }

    /// Normalises a possibly negative axis (`-1` is the last) for a tensor of `rank` axes.
    public static func normalizedAxis(_ axis: Int, rank: Int) -> Int {
        let normalized = axis < 0 ? axis + rank : axis
        precondition(normalized >= 0 && normalized < Swift.max(rank, 1),
                     "axis \(axis) out of range for rank \(rank)")
        return normalized
    }
}
