// Selecting, reversing and repeating positions along axes.

extension Tensor {
    /// Positions `indices` of `axis`, in that order (`torch.index_select`; an embedding lookup on
    /// axis 0). Negative indices count from the end. Pullback: scatter-add (repeated indices sum).
    public func gathered(indices: [Int], alongAxis axis: Int) -> Tensor {
        let a = Shape.normalizedAxis(axis, rank: rank)
        let n = shape[a]
        let sources = indices.map { index -> Int in
            precondition(index >= -n && index < n, "gathered: index \(index) out of range for size \(n)")
            return index < 0 ? index + n : index
        }
        return indexed(alongAxis: a, sources: sources, name: "index_select")
    }

    /// The order of positions reversed along each of `axes` (`torch.flip`).
    public func flipped(alongAxes axes: [Int]) -> Tensor {
        axes.reduce(self) { result, axis in
            let n = result.shape[Shape.normalizedAxis(axis, rank: rank)]
            return result.indexed(alongAxis: axis, sources: Array((0..<n).reversed()), name: "flip")
        }
    }

    /// The whole tensor repeated `repeats[i]` times along axis i (`torch.Tensor.repeat`, NumPy's
    /// `tile`); extra leading repeats add axes.
    public func tiled(_ repeats: [Int]) -> Tensor {
        precondition(repeats.count >= rank && repeats.allSatisfy { $0 >= 0 }, "tiled(\(repeats)) for rank \(rank)")
        var result = reshaped([Int](repeating: 1, count: repeats.count - rank) + shape)
        for (axis, times) in repeats.enumerated() where times != 1 {
            let n = result.shape[axis]
            result = result.indexed(alongAxis: axis, sources: (0..<(n * times)).map { $0 % Swift.max(n, 1) }, name: "tile")
        }
        return result
    }

    /// Each position of `axis` repeated `count` times in place (`torch.repeat_interleave`):
    /// `[a b]` → `[a a b b]` for `count` 2.
    public func repeated(_ count: Int, alongAxis axis: Int) -> Tensor {
        precondition(count >= 0, "repeated: negative count")
        let n = shape[Shape.normalizedAxis(axis, rank: rank)]
        return indexed(alongAxis: axis, sources: (0..<(n * count)).map { $0 / count }, name: "repeat_interleave")
    }
}

extension Tensor {
    /// `out[i][j][k] = self[index[i][j][k]][j][k]` for `axis` 0 (and likewise for other axes):
    /// each output value picks its position along `axis` from `indices` (`torch.gather`,
    /// `take_along_dim`). `indices` holds whole numbers (as Float), has this tensor's rank, and
    /// its other axes are no larger than this tensor's. The result has `indices`' shape.
    /// Pullback: scatter-add into the picked positions.
    public func gathered(indices: Tensor, alongAxis axis: Int) -> Tensor {
        let a = Shape.normalizedAxis(axis, rank: rank)
        precondition(indices.rank == rank && indices.shape.indices.allSatisfy { $0 == a || indices.shape[$0] <= shape[$0] },
                     "gathered: indices \(indices.shape) do not fit \(shape) along axis \(a)")
        let sources = sourcePositions(of: indices, alongAxis: a)
        let result = Tensor(shape: indices.shape) { out in
            withUnsafeBufferPointer { x in for i in out.indices { out[i] = x[sources[i]] } }
        }
        return Tensor.recording("gather", result: result, inputs: [self]) { [shape] g in
            let gradient = Tensor.zeros(shape)
            gradient.withUnsafeMutableBufferPointer { dx in
                g.withUnsafeBufferPointer { gv in for i in gv.indices { dx[sources[i]] += gv[i] } }
            }
            return [gradient]
        }
    }

    /// For each position of `indices`, the flat position in `self` that it picks.
    private func sourcePositions(of indices: Tensor, alongAxis a: Int) -> [Int] {
        let strides = Shape.strides(shape)
        let n = shape[a]
        return indices.scalars.enumerated().map { position, value in
            let index = Int(value)
            precondition(Float(index) == value && index >= -n && index < n, "gathered: index \(value) out of range for size \(n)")
            var flat = 0, remainder = position
            for axis in stride(from: rank - 1, through: 0, by: -1) {
                let coordinate = remainder % indices.shape[axis]
                remainder /= indices.shape[axis]
                flat += (axis == a ? (index < 0 ? index + n : index) : coordinate) * strides[axis]
            }
            return flat
        }
    }
}
