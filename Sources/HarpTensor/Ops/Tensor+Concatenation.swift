// Joining tensors along an axis.

extension Tensor {
    /// `tensors` joined along `axis` (`torch.cat`): every other axis must agree.
    /// Shapes `[…, nᵢ, …] → […, Σnᵢ, …]`. Pullback: the gradient sliced back into pieces.
    public static func concatenated(_ tensors: [Tensor], alongAxis axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenated: no tensors")
        let first = tensors[0]
        let a = Shape.normalizedAxis(axis, rank: first.rank)
        for t in tensors {
            precondition(t.rank == first.rank && t.shape.indices.allSatisfy { $0 == a || t.shape[$0] == first.shape[$0] },
                         "concatenated: \(t.shape) does not match \(first.shape) off axis \(a)")
        }
        let sizes = tensors.map { $0.shape[a] }
        var outShape = first.shape
        outShape[a] = sizes.reduce(0, +)
        let outer = Shape.count(Array(first.shape[..<a])), inner = Shape.count(Array(first.shape[(a + 1)...]))
        let total = outShape[a]
        let result = Tensor(shape: outShape) { out in
            var start = 0
            for (t, n) in zip(tensors, sizes) {
                t.withUnsafeBufferPointer { x in
                    for o in 0..<outer where n * inner > 0 {
                        (out.baseAddress! + (o * total + start) * inner)
                            .update(from: x.baseAddress! + o * n * inner, count: n * inner)
                    }
                }
                start += n
            }
        }
        return recording("cat", result: result, inputs: tensors) { g in
            var start = 0
            return sizes.map { n in
                defer { start += n }
                return g.indexedValues(axis: a, sources: Array(start..<(start + n)), fill: 0)
            }
        }
    }

    /// `tensors` (all one shape) stacked along a new `axis` (`torch.stack`): `[…] → [k, …]` for axis 0.
    public static func stacked(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stacked: no tensors")
        let a = Shape.normalizedAxis(axis, rank: tensors[0].rank + 1)
        return concatenated(tensors.map { $0.unsqueezed(axis: a) }, alongAxis: a)
    }
}
