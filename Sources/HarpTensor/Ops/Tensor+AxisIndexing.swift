// The one primitive behind slicing, padding, flipping, tiling, repeating and index selection:
// position j of the result along an axis takes position `sources[j]` of the input along that axis,
// or a constant where `sources[j]` is −1. Its pullback scatter-adds the gradient back.

extension Tensor {
    /// A result whose `axis` has `sources.count` positions, position `j` copied from input position
    /// `sources[j]` (−1: filled with `fill`). Shapes `[…, n, …] → […, sources.count, …]`.
    ///
    /// Pullback: `dx[…, sources[j], …] += g[…, j, …]` (positions used twice receive both shares).
    func indexed(alongAxis axis: Int, sources: [Int], fill: Float = 0, name: String) -> Tensor {
        let a = Shape.normalizedAxis(axis, rank: rank)
        precondition(sources.allSatisfy { $0 >= -1 && $0 < shape[a] }, "\(name): index out of range for \(shape)")
        let result = indexedValues(axis: a, sources: sources, fill: fill)
        return Tensor.recording(name, result: result, inputs: [self]) { [self] g in
            [g.scatteredValues(axis: a, sources: sources, into: shape)]
        }
    }

    func indexedValues(axis a: Int, sources: [Int], fill: Float) -> Tensor {
        let (outer, n, inner) = axisView(a)
        var outShape = shape
        outShape[a] = sources.count
        let m = sources.count
        return Tensor(shape: outShape) { out in
            guard out.count > 0 else { return }
            withUnsafeBufferPointer { x in
                Parallel.forEachChunk(count: outer, minimumChunk: Swift.max(1, (1 << 15) / Swift.max(m * inner, 1))) { range in
                    for o in range {
                        for (j, source) in sources.enumerated() {
                            let target = out.baseAddress! + (o * m + j) * inner
                            if source < 0 {
                                target.update(repeating: fill, count: inner)
                            } else {
                                target.update(from: x.baseAddress! + (o * n + source) * inner, count: inner)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of `indexedValues`: a tensor of `inputShape` with `self`'s slices added at `sources`.
    func scatteredValues(axis a: Int, sources: [Int], into inputShape: [Int]) -> Tensor {
        let result = Tensor.zeros(inputShape)
        let (outer, m, inner) = axisView(a)
        let n = inputShape[a]
        guard result.count > 0 else { return result }
        result.withUnsafeMutableBufferPointer { dx in
            withUnsafeBufferPointer { g in
                // Parallel over `outer` only: slices of different `o` never collide.
                Parallel.forEachChunk(count: outer, minimumChunk: Swift.max(1, (1 << 15) / Swift.max(m * inner, 1))) { range in
                    for o in range {
                        for (j, source) in sources.enumerated() where source >= 0 {
                            let target = dx.baseAddress! + (o * n + source) * inner
                            ElementwiseKernel.zipRange(Add(), target, 1, g.baseAddress! + (o * m + j) * inner, 1, target, 0..<inner)
                        }
                    }
                }
            }
        }
        return result
    }

    /// The tensor viewed as `[outer, n, inner]` around `axis`.
    func axisView(_ axis: Int) -> (outer: Int, n: Int, inner: Int) {
        (Shape.count(Array(shape[..<axis])), shape[axis], Shape.count(Array(shape[(axis + 1)...])))
    }
}
