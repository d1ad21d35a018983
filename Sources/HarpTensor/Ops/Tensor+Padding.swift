// Padding (`torch.nn.functional.pad` semantics).

/// How `padded` fills the new positions.
public enum PaddingMode: Equatable, Sendable {
    /// A constant (PyTorch's `mode="constant", value=…`); negative widths crop.
    case constant(Float)
    /// Mirror without repeating the edge: `[a b c d]` padded by 2 → `c b [a b c d] c b`. Widths < size.
    case reflect
    /// Repeat the edge value: `a a [a b c d] d d`.
    case replicate
    /// Wrap around: `c d [a b c d] a b`. Widths ≤ size.
    case circular

    public static let zeros = PaddingMode.constant(0)
}

extension Tensor {
    /// `before` positions added in front of `axis` and `after` behind it.
    ///
    /// Shapes `[…, n, …] → […, before + n + after, …]`. Pullback: the gradient of each output
    /// position added to the input position it was copied from (none for constants).
    public func padded(alongAxis axis: Int, before: Int, after: Int, mode: PaddingMode = .zeros) -> Tensor {
        let a = Shape.normalizedAxis(axis, rank: rank)
        let n = shape[a]
        var fill: Float = 0
        let positions = (-before)..<(n + after)
        let sources: [Int]
        switch mode {
        case .constant(let value):
            fill = value
            sources = positions.map { (0..<n).contains($0) ? $0 : -1 }
        case .reflect:
            precondition(before < n && after < n && before >= 0 && after >= 0,
                         "reflect padding (\(before), \(after)) must be below the axis size \(n)")
            sources = positions.map { $0 < 0 ? -$0 : ($0 >= n ? 2 * (n - 1) - $0 : $0) }
        case .replicate:
            precondition(n > 0 && before >= 0 && after >= 0, "replicate padding of an empty axis or by a negative width")
            sources = positions.map { Swift.min(Swift.max($0, 0), n - 1) }
        case .circular:
            precondition(before <= n && after <= n && before >= 0 && after >= 0,
                         "circular padding (\(before), \(after)) must not exceed the axis size \(n)")
            sources = positions.map { (($0 % n) + n) % n }
        }
        return indexed(alongAxis: a, sources: sources, fill: fill, name: "pad")
    }

    /// Pads the last axes, PyTorch's `F.pad(x, widths)` order: `[lastBefore, lastAfter,
    /// secondLastBefore, secondLastAfter, …]`.
    public func padded(_ widths: [Int], mode: PaddingMode = .zeros) -> Tensor {
        precondition(widths.count % 2 == 0 && widths.count / 2 <= rank, "padded: \(widths) for rank \(rank)")
        var result = self
        for pair in 0..<(widths.count / 2) {
            result = result.padded(alongAxis: rank - 1 - pair, before: widths[2 * pair], after: widths[2 * pair + 1], mode: mode)
        }
        return result
    }
}
