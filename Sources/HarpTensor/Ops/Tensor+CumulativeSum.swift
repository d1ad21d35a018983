// Running sums along an axis.

extension Tensor {
    /// yₖ = Σ_{j ≤ k} xⱼ along `axis` (`torch.cumsum`). Shape unchanged.
    /// Pullback: the reversed running sum of the gradient, dxⱼ = Σ_{k ≥ j} gₖ.
    public func cumulativeSum(alongAxis axis: Int) -> Tensor {
        let a = Shape.normalizedAxis(axis, rank: rank)
        return Tensor.recording("cumsum", result: runningSum(axis: a, reversed: false), inputs: [self]) { g in
            [g.runningSum(axis: a, reversed: true)]
        }
    }

    /// Running sums along `axis`, from the front or (reversed) from the back. Accumulates in
    /// Double so that long audio-length sums (phase from frequency) stay accurate.
    func runningSum(axis a: Int, reversed: Bool) -> Tensor {
        let (outer, n, inner) = axisView(a)
        return Tensor(shape: shape) { out in
            guard out.count > 0 else { return }
            withUnsafeBufferPointer { x in
                Parallel.forEachChunk(count: outer * inner, minimumChunk: Swift.max(1, (1 << 15) / Swift.max(n, 1))) { range in
                    for position in range {
                        let base = (position / inner) * n * inner + position % inner
                        var total: Double = 0
                        for step in 0..<n {
                            let k = reversed ? n - 1 - step : step
                            total += Double(x[base + k * inner])
                            out[base + k * inner] = Float(total)
                        }
                    }
                }
            }
        }
    }
}
