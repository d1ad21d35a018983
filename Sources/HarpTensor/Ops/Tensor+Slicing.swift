// Slicing along an axis (copies).

extension Tensor {
    /// Positions `start, start + step, …` (< `end`) along `axis` (`x[..., start:end:step]`, copied).
    /// `start`/`end` may be negative (from the end) and are clipped to the axis, as in Python.
    ///
    /// - Returns: the input's shape with `axis` of size ⌈(end − start) / step⌉ (0 if empty).
    public func sliced(alongAxis axis: Int, start: Int = 0, end: Int? = nil, step: Int = 1) -> Tensor {
        precondition(step >= 1, "sliced: step must be ≥ 1, got \(step)")
        let a = Shape.normalizedAxis(axis, rank: rank)
        let n = shape[a]
        func clip(_ i: Int) -> Int { Swift.min(Swift.max(i < 0 ? i + n : i, 0), n) }
        let lower = clip(start), upper = clip(end ?? n)
        return indexed(alongAxis: a, sources: Array(stride(from: lower, to: upper, by: step)), name: "slice")
    }

    /// Splits `axis` into consecutive pieces of the given sizes (`torch.split` with a list).
    public func split(sizes: [Int], alongAxis axis: Int) -> [Tensor] {
        let a = Shape.normalizedAxis(axis, rank: rank)
        precondition(sizes.reduce(0, +) == shape[a], "split sizes \(sizes) do not sum to \(shape[a])")
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return sliced(alongAxis: a, start: start, end: start + size)
        }
    }
}
