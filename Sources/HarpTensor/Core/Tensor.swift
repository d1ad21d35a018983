/// An n-dimensional array of `Float32`, row-major and contiguous, channels-first by convention
/// (`[batch, channels, time]`).
///
/// Tensors are eager, like PyTorch's: an op computes its result when called. When gradient
/// recording is on (`GradientMode`) and an input requires a gradient, the op also records a
/// pullback, and `backward()` on a scalar result accumulates `grad` on the leaves.
///
/// Values are immutable once a tensor is made, except through `assign(_:)` and the unsafe
/// mutable accessors, which optimisers use on parameters outside of recording.
public final class Tensor {
    /// The size of each axis.
    public let shape: [Int]
    /// The memory behind the values; shared with reshaped tensors.
    public let storage: TensorStorage
    /// The index of the first value in `storage`.
    public let offset: Int
    /// The recorded op that produced this tensor, or `nil` for a leaf.
    public let gradientNode: GradientNode?
    /// For a leaf: whether `backward()` accumulates into `grad`.
    public var requiresGradient: Bool
    /// The accumulated gradient of a leaf after `backward()`.
    public var grad: Tensor?

    /// Makes a tensor over existing storage. Most code uses the other initialisers.
    public init(shape: [Int], storage: TensorStorage, offset: Int = 0,
                gradientNode: GradientNode? = nil, requiresGradient: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative size in shape \(shape)")
        precondition(offset + Shape.count(shape) <= storage.count, "shape \(shape) exceeds storage")
        self.shape = shape
        self.storage = storage
        self.offset = offset
        self.gradientNode = gradientNode
        self.requiresGradient = requiresGradient || gradientNode != nil
    }

    /// A tensor of `shape` holding `values` in row-major order.
    public convenience init(shape: [Int], values: [Float], requiresGradient: Bool = false) {
        precondition(Shape.count(shape) == values.count,
                     "\(values.count) values do not fill shape \(shape)")
        let storage = TensorStorage(uninitializedCount: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { storage.baseAddress.update(from: base, count: values.count) }
        }
        self.init(shape: shape, storage: storage, requiresGradient: requiresGradient)
    }

    /// A rank-1 tensor of `values`.
    public convenience init(_ values: [Float], requiresGradient: Bool = false) {
        self.init(shape: [values.count], values: values, requiresGradient: requiresGradient)
    }

    /// A scalar (rank-0) tensor.
    public convenience init(scalar: Float, requiresGradient: Bool = false) {
        self.init(shape: [], values: [scalar], requiresGradient: requiresGradient)
    }

    /// A tensor of `shape` with every value `value`.
    public convenience init(shape: [Int], repeating value: Float, requiresGradient: Bool = false) {
        let storage = TensorStorage(count: Shape.count(shape), repeating: value)
        self.init(shape: shape, storage: storage, requiresGradient: requiresGradient)
    }

    /// A tensor of `shape` whose values `fill` writes; the buffer starts uninitialised.
    public convenience init(shape: [Int], fill: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        let storage = TensorStorage(uninitializedCount: Shape.count(shape))
        try fill(UnsafeMutableBufferPointer(start: storage.baseAddress, count: Shape.count(shape)))
        self.init(shape: shape, storage: storage)
    }

    public static func zeros(_ shape: [Int], requiresGradient: Bool = false) -> Tensor {
        Tensor(shape: shape, repeating: 0, requiresGradient: requiresGradient)
    }

    public static func ones(_ shape: [Int], requiresGradient: Bool = false) -> Tensor {
        Tensor(shape: shape, repeating: 1, requiresGradient: requiresGradient)
    }
}

// MARK: - Reading values

extension Tensor {
    /// The number of axes.
    public var rank: Int { shape.count }
    /// The number of values.
    public var count: Int { Shape.count(shape) }
    /// Whether this tensor was produced by a recorded op (and so is not a leaf).
    public var isLeaf: Bool { gradientNode == nil }

    /// The values in row-major order.
    public var scalars: [Float] {
        withUnsafeBufferPointer { Array($0) }
    }

    /// The single value of a one-element tensor.
    public var item: Float {
        precondition(count == 1, "item() of a tensor with \(count) values")
        return storage.baseAddress[offset]
    }

    /// Calls `body` with the values, valid only during the call.
    @inlinable
    public func withUnsafeBufferPointer<Result>(
        _ body: (UnsafeBufferPointer<Float>) throws -> Result
    ) rethrows -> Result {
        try body(UnsafeBufferPointer(start: storage.baseAddress + offset, count: count))
    }

    /// Calls `body` with writable values. For optimisers and kernels filling fresh tensors; never
    /// change a tensor that a recorded graph still reads.
    @inlinable
    public func withUnsafeMutableBufferPointer<Result>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> Result
    ) rethrows -> Result {
        try body(UnsafeMutableBufferPointer(start: storage.baseAddress + offset, count: count))
    }

    /// Overwrites the values with `other`'s (same count), in place, without recording.
    public func assign(_ other: Tensor) {
        precondition(other.count == count, "assign: \(other.shape) into \(shape)")
        other.withUnsafeBufferPointer { source in
            withUnsafeMutableBufferPointer { target in
                if let s = source.baseAddress, let t = target.baseAddress { t.update(from: s, count: count) }
            }
        }
    }

    /// The same values, cut off from the graph (PyTorch's `detach()`); shares storage.
    public func detached() -> Tensor {
        Tensor(shape: shape, storage: storage, offset: offset)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = count <= 16 ? "\(scalars)" : "\(Array(scalars.prefix(8))) …"
        return "Tensor(shape: \(shape), \(preview))"
    }
}
