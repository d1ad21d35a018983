// Reductions along axes. With `keepDims` the reduced axes stay as size 1 (PyTorch's `keepdim`).

extension Tensor {
    /// Σ over `axes` (negative axes count from the end). `[…] → […]` minus (or with size-1) `axes`.
    /// Pullback: the gradient broadcast back over the reduced axes.
    public func sum(alongAxes axes: [Int], keepDims: Bool = false) -> Tensor {
        let reducedAxes = Set(axes.map { Shape.normalizedAxis($0, rank: rank) })
        let keptShape = shape.indices.map { reducedAxes.contains($0) ? 1 : shape[$0] }
        let finalShape = keepDims ? keptShape : shape.indices.filter { !reducedAxes.contains($0) }.map { shape[$0] }
        let result = summedValues(over: reducedAxes).reshapedValues(finalShape)
        return Tensor.recording("sum", result: result, inputs: [self]) { [shape] g in
            [g.reshapedValues(keptShape).broadcastValues(to: shape)]
        }
    }

    /// Σ over one axis.
    public func sum(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        sum(alongAxes: [axis], keepDims: keepDims)
    }

    /// Σ of every value: a scalar (shape `[]`).
    public func sum() -> Tensor { sum(alongAxes: Array(0..<rank)) }

    /// The mean over `axes` (a sum divided by the number of values reduced).
    public func mean(alongAxes axes: [Int], keepDims: Bool = false) -> Tensor {
        let n = Set(axes.map { Shape.normalizedAxis($0, rank: rank) }).reduce(1) { $0 * shape[$1] }
        return sum(alongAxes: axes, keepDims: keepDims) / Float(n)
    }

    public func mean(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        mean(alongAxes: [axis], keepDims: keepDims)
    }

    /// The mean of every value: a scalar.
    public func mean() -> Tensor { mean(alongAxes: Array(0..<rank)) }

    /// The variance over `axes`, Σ(x − mean)² / (n − correction) (`torch.var`, default
    /// `correction: 1`, the unbiased estimate).
    public func variance(alongAxes axes: [Int], correction: Int = 1, keepDims: Bool = false) -> Tensor {
        let n = Set(axes.map { Shape.normalizedAxis($0, rank: rank) }).reduce(1) { $0 * shape[$1] }
        let centered = self - mean(alongAxes: axes, keepDims: true)
        return centered.square().sum(alongAxes: axes, keepDims: keepDims) / Float(Swift.max(n - correction, 0))
    }

    /// The largest value along `axis` (`torch.max(x, dim)` / `amax` over one axis). Pullback: the
    /// whole gradient goes to the first position of the maximum, as PyTorch's `max(dim)` does.
    public func max(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        extreme(alongAxis: axis, keepDims: keepDims, smallest: false)
    }

    /// The smallest value along `axis`; gradient to the first position of the minimum.
    public func min(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        extreme(alongAxis: axis, keepDims: keepDims, smallest: true)
    }

    /// The largest value of the tensor (a scalar); gradient to its first position.
    public func max() -> Tensor { reshaped([count]).max(alongAxis: 0) }

    /// The smallest value of the tensor (a scalar).
    public func min() -> Tensor { reshaped([count]).min(alongAxis: 0) }

    /// The index of the first maximum along `axis`, as Float values (exact below 2²⁴). No gradient.
    public func argmax(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        let (_, indices, outShape) = extremeValues(alongAxis: axis, keepDims: keepDims, smallest: false)
        return Tensor(shape: outShape, values: indices.map { Float($0) })
    }

    /// The index of the first minimum along `axis`, as Float values. No gradient.
    public func argmin(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        let (_, indices, outShape) = extremeValues(alongAxis: axis, keepDims: keepDims, smallest: true)
        return Tensor(shape: outShape, values: indices.map { Float($0) })
    }

    private func extreme(alongAxis axis: Int, keepDims: Bool, smallest: Bool) -> Tensor {
        let (values, indices, _) = extremeValues(alongAxis: axis, keepDims: keepDims, smallest: smallest)
        let a = Shape.normalizedAxis(axis, rank: rank)
        let (outer, n, inner) = (Shape.count(Array(shape[..<a])), shape[a], Shape.count(Array(shape[(a + 1)...])))
        return Tensor.recording(smallest ? "min" : "max", result: values, inputs: [self]) { [shape] g in
            let gradient = Tensor.zeros(shape)
            gradient.withUnsafeMutableBufferPointer { dx in
                g.withUnsafeBufferPointer { gv in
                    for position in 0..<outer * inner {
                        let o = position / inner, i = position % inner
                        dx[(o * n + indices[position]) * inner + i] += gv[position]
                    }
                }
            }
            return [gradient]
        }
    }

    private func extremeValues(alongAxis axis: Int, keepDims: Bool, smallest: Bool) -> (Tensor, [Int], [Int]) {
        let a = Shape.normalizedAxis(axis, rank: rank)
        precondition(shape[a] > 0, "max/min along an empty axis \(a) of \(shape)")
        let (outer, n, inner) = (Shape.count(Array(shape[..<a])), shape[a], Shape.count(Array(shape[(a + 1)...])))
        var outShape = shape
        if keepDims { outShape[a] = 1 } else { outShape.remove(at: a) }
        var indices = [Int](repeating: 0, count: outer * inner)
        let values = Tensor(shape: outShape) { out in
            withUnsafeBufferPointer { x in
                indices.withUnsafeMutableBufferPointer { idx in
                    ReductionKernel.extreme(x.baseAddress!, values: out.baseAddress!, indices: idx.baseAddress!,
                                            outer: outer, n: n, inner: inner, smallest: smallest)
                }
            }
        }
        return (values, indices, outShape)
    }

    /// Σ over `axes` without recording: adjacent axes are merged, then each merged group reduced.
    func summedValues(over axes: Set<Int>) -> Tensor {
        // Groups of adjacent axes that are all reduced or all kept: [(size, reduced)].
        var groups: [(size: Int, reduced: Bool)] = []
        for axis in shape.indices where shape[axis] != 1 || axes.contains(axis) {
            let isReduced = axes.contains(axis)
            if let last = groups.last, last.reduced == isReduced {
                groups[groups.count - 1].size *= shape[axis]
            } else {
                groups.append((shape[axis], isReduced))
            }
        }
        var current = self
        var sizes = groups.map(\.size)
        for index in groups.indices.reversed() where groups[index].reduced {
            let outer = Shape.count(Array(sizes[..<index])), inner = Shape.count(Array(sizes[(index + 1)...]))
            let n = sizes[index]
            sizes[index] = 1
            let source = current
            current = Tensor(shape: [outer * inner]) { out in
                source.withUnsafeBufferPointer { x in
                    ReductionKernel.sum(x.baseAddress!, out.baseAddress!, outer: outer, n: n, inner: inner)
                }
            }
        }
        return current
    }
}
