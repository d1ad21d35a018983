// Softmax, log-softmax and log-sum-exp along an axis, computed stably (shifted by the maximum).
// The kernels work on the last axis; other axes are moved there and back (two copies).

extension Tensor {
    /// e^{xᵢ − m} / Σⱼ e^{xⱼ − m} along `axis` (`torch.softmax`). Shape unchanged.
    /// Pullback: y ⊙ (g − Σ g⊙y).
    public func softmax(alongAxis axis: Int = -1) -> Tensor {
        rowwise(alongAxis: axis, .softmax, name: "softmax")
    }

    /// xᵢ − log Σⱼ e^{xⱼ} along `axis` (`torch.log_softmax`). Pullback: g − softmax(x)·Σg.
    public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
        rowwise(alongAxis: axis, .logSoftmax, name: "log_softmax")
    }

    /// log Σ e^{x} along `axis` (`torch.logsumexp`). Pullback: g · softmax(x).
    public func logSumExp(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        let a = Shape.normalizedAxis(axis, rank: rank)
        guard a == rank - 1 else {
            return movedAxis(from: a, to: -1).logSumExp(alongAxis: -1, keepDims: keepDims)
                .reshaped(keepDims ? shape.indices.map { $0 == a ? 1 : shape[$0] } : shape.enumerated().filter { $0.offset != a }.map(\.element))
        }
        let n = shape[a], rows = count / Swift.max(n, 1)
        let kept = Array(shape.dropLast()) + [1]
        let values = Tensor(shape: kept) { out in
            guard rows > 0 else { return }
            withUnsafeBufferPointer { x in SoftmaxKernel.logSumExp(x.baseAddress!, out.baseAddress!, rows: rows, n: n) }
        }
        let result = keepDims ? values : values.reshapedValues(Array(shape.dropLast()))
        return Tensor.recording("logsumexp", result: result, inputs: [self]) { [self] g in
            let weights = zipped(values, Subtract()).mapped(Exponential())
            return [weights.zipped(g.reshapedValues(kept), Multiply())]
        }
    }

    private func rowwise(alongAxis axis: Int, _ output: SoftmaxKernel.Output, name: String) -> Tensor {
        let a = Shape.normalizedAxis(axis, rank: Swift.max(rank, 1))
        guard rank == 0 || a == rank - 1 else {
            return movedAxis(from: a, to: -1).rowwise(alongAxis: -1, output, name: name).movedAxis(from: -1, to: a)
        }
        let n = rank == 0 ? 1 : shape[rank - 1], rows = n == 0 ? 0 : count / n
        let result = Tensor(shape: shape) { out in
            guard rows > 0 else { return }
            withUnsafeBufferPointer { x in SoftmaxKernel.forward(x.baseAddress!, out.baseAddress!, rows: rows, n: n, output: output) }
        }
        return Tensor.recording(name, result: result, inputs: [self]) { g in
            [Tensor(shape: result.shape) { dx in
                guard rows > 0 else { return }
                g.withUnsafeBufferPointer { gv in
                    result.withUnsafeBufferPointer { y in
                        SoftmaxKernel.pullback(gv.baseAddress!, y.baseAddress!, dx.baseAddress!, rows: rows, n: n, output: output)
                    }
                }
            }]
        }
    }
}
