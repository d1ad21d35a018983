// Reshaping and axis reordering. `reshaped` is free (shares storage); reorderings copy.

extension Tensor {
    /// The same values in a new shape (`torch.reshape`/`view`); one size may be −1 (inferred).
    /// Shares storage. Pullback: the gradient reshaped back.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        let resolved = resolvedShape(newShape)
        return Tensor.recording("reshape", result: reshapedValues(resolved), inputs: [self]) { [shape] g in
            [g.reshapedValues(shape)]
        }
    }

    public func reshaped(_ newShape: Int...) -> Tensor { reshaped(newShape) }

    /// Removes `axis`, which must have size 1 (`torch.squeeze(dim)`).
    public func squeezed(axis: Int) -> Tensor {
        let a = Shape.normalizedAxis(axis, rank: rank)
        precondition(shape[a] == 1, "squeezed(axis: \(axis)) of size \(shape[a]) in \(shape)")
        var newShape = shape
        newShape.remove(at: a)
        return reshaped(newShape)
    }

    /// Removes every axis of size 1 (`torch.squeeze()`).
    public func squeezed() -> Tensor { reshaped(shape.filter { $0 != 1 }) }

    /// Inserts an axis of size 1 at `axis` (`torch.unsqueeze`); −1 appends.
    public func unsqueezed(axis: Int) -> Tensor {
        let a = Shape.normalizedAxis(axis, rank: rank + 1)
        var newShape = shape
        newShape.insert(1, at: a)
        return reshaped(newShape)
    }

    /// The values broadcast to `shape` (`torch.expand` / `broadcast_to`), copied. Pullback: the
    /// gradient summed back over the broadcast axes.
    public func expanded(to target: [Int]) -> Tensor {
        precondition(Shape.broadcast(shape, target) == target, "cannot expand \(shape) to \(target)")
        return Tensor.recording("expand", result: broadcastValues(to: target), inputs: [self]) { [shape] g in
            [g.reduced(toShape: shape)]
        }
    }

    /// The values broadcast to `shape` (NumPy's and mlx's name for `expanded(to:)`).
    public func broadcast(to target: [Int]) -> Tensor { expanded(to: target) }

    /// Axes reordered: axis `i` of the result is axis `axes[i]` of `self` (`torch.permute`).
    public func permuted(_ axes: [Int]) -> Tensor {
        let order = axes.map { Shape.normalizedAxis($0, rank: rank) }
        precondition(order.sorted() == Array(0..<rank), "permuted(\(axes)) is not a permutation of \(rank) axes")
        var inverse = [Int](repeating: 0, count: rank)
        for (i, axis) in order.enumerated() { inverse[axis] = i }
        return Tensor.recording("permute", result: permutedValues(order), inputs: [self]) { g in
            [g.permutedValues(inverse)]
        }
    }

    public func permuted(_ axes: Int...) -> Tensor { permuted(axes) }

    /// `axis0` and `axis1` swapped (`torch.transpose`); by default the last two.
    public func transposed(_ axis0: Int = -2, _ axis1: Int = -1) -> Tensor {
        var order = Array(0..<rank)
        order.swapAt(Shape.normalizedAxis(axis0, rank: rank), Shape.normalizedAxis(axis1, rank: rank))
        return permuted(order)
    }

    /// `source` moved to position `destination`, the other axes keeping their order (`torch.movedim`).
    public func movedAxis(from source: Int, to destination: Int) -> Tensor {
        var order = Array(0..<rank)
        let s = Shape.normalizedAxis(source, rank: rank)
        order.remove(at: s)
        order.insert(s, at: Shape.normalizedAxis(destination, rank: rank))
        return permuted(order)
    }

    // MARK: - Value helpers (no recording)

    func resolvedShape(_ newShape: [Int]) -> [Int] {
        var resolved = newShape
        if let unknown = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != unknown }.reduce(1) { $0 * $1.element }
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            resolved[unknown] = count / known
        }
        precondition(Shape.count(resolved) == count, "cannot reshape \(shape) (\(count) values) to \(newShape)")
        return resolved
    }

    func reshapedValues(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage, offset: offset)
    }

    func broadcastValues(to target: [Int]) -> Tensor {
        if shape == target { return self }
        let layout = BroadcastLayout(output: target, a: shape, b: [])
        return Tensor(shape: target) { out in
            guard out.count > 0 else { return }
            withUnsafeBufferPointer { x in
                var zero: Float = 0
                ElementwiseKernel.broadcastZip(TakeFirst(), x.baseAddress!, &zero, out.baseAddress!, layout: layout)
            }
        }
    }

    func permutedValues(_ order: [Int]) -> Tensor {
        let outShape = order.map { shape[$0] }
        if order == Array(0..<rank) { return reshapedValues(shape) }
        let inStrides = Shape.strides(shape)
        let strides = order.map { inStrides[$0] }
        let isLastTwoSwap = rank >= 2 && order == Array(0..<(rank - 2)) + [rank - 1, rank - 2]
        return Tensor(shape: outShape) { out in
            guard out.count > 0 else { return }
            withUnsafeBufferPointer { x in
                if isLastTwoSwap {
                    TransposeKernel.transposeLastTwo(x.baseAddress!, out.baseAddress!, batch: count / (shape[rank - 1] * shape[rank - 2]),
                                                     rows: shape[rank - 2], columns: shape[rank - 1])
                } else {
                    TransposeKernel.gather(x.baseAddress!, out.baseAddress!, shape: outShape, strides: strides)
                }
            }
        }
    }
}

/// `a`, ignoring `b`: broadcasting one operand through the binary kernel is a broadcast copy.
struct TakeFirst: BinaryElementwise {
    @inline(__always) func scalar(_ a: Float, _ b: Float) -> Float { a }
    @inline(__always) func vector(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a }
}
