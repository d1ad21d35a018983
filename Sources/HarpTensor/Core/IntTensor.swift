/// An n-dimensional array of 32-bit integers: codebook indices, token ids, class labels.
///
/// Harp computes in `Float32`; indices are not numbers to compute with, and carrying them as
/// floats would silently lose precision above 2²⁴ and invite arithmetic that means nothing. An
/// `IntTensor` is a plain value (row-major, contiguous) with no autograd; `Tensor.gathered` and
/// the embedding layers take it where an index is wanted.
public struct IntTensor: Sendable, Equatable {
    /// The extent of each axis.
    public let shape: [Int]
    /// The elements, row-major.
    public private(set) var scalars: [Int32]

    /// An array of `shape` holding `scalars` (row-major); their count must match the shape.
    public init(shape: [Int], scalars: [Int32]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "IntTensor: negative extent in \(shape)")
        precondition(scalars.count == Shape.count(shape),
                     "IntTensor: \(scalars.count) elements for shape \(shape)")
        self.shape = shape
        self.scalars = scalars
    }

    /// An array of `shape` filled with `value`.
    public init(repeating value: Int32, shape: [Int]) {
        self.init(shape: shape, scalars: [Int32](repeating: value, count: Shape.count(shape)))
    }

    /// The number of axes.
    public var rank: Int { shape.count }

    /// The number of elements.
    public var count: Int { scalars.count }

    /// The element at `indices` (one per axis).
    public subscript(_ indices: Int...) -> Int32 {
        get { scalars[offset(of: indices)] }
        set { scalars[offset(of: indices)] = newValue }
    }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> IntTensor {
        IntTensor(shape: newShape, scalars: scalars)
    }

    /// The smallest and largest element, or `nil` when empty.
    public var range: ClosedRange<Int32>? {
        guard let low = scalars.min(), let high = scalars.max() else { return nil }
        return low...high
    }

    private func offset(of indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "IntTensor: \(indices.count) indices for rank \(shape.count)")
        var offset = 0
        for (axis, index) in indices.enumerated() {
            precondition(index >= 0 && index < shape[axis], "IntTensor: index \(index) out of range on axis \(axis)")
            offset = offset * shape[axis] + index
        }
        return offset
    }
}
