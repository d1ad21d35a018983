import HarpTensor

/// Draws replayed in order from a record of the reference's run (the parity fixtures): each
/// request must match the next recorded draw in kind and shape, which also checks that Harp asks
/// for its random numbers in the reference's order.
public final class RecordedDraws: AsuraDrawSource {
    /// `(kind, value)` in the order drawn; kinds: `prior`, a role's raw value, `randint`,
    /// `multinomial`, `bernoulli`.
    public private(set) var remaining: [(kind: String, value: Tensor)]

    public init(_ draws: [(kind: String, value: Tensor)]) {
        remaining = draws
    }

    func next(_ kind: String, count: Int) -> Tensor {
        guard let first = remaining.first else { preconditionFailure("recorded draws: asked for \(kind) after the last draw") }
        precondition(first.kind == kind && first.value.count == count,
                     "recorded draws: asked for \(kind) of \(count) values, next is \(first.kind) \(first.value.shape)")
        remaining.removeFirst()
        return first.value
    }

    public func prior(_ shape: [Int], isMagnitude: Bool) -> Tensor {
        next("prior", count: Shape.count(shape)).reshaped(shape)
    }

    public func sample(_ distribution: AsuraDistribution, role: AsuraDrawRole, shape: [Int]) -> Tensor {
        next(role.rawValue, count: Shape.count(shape)).reshaped(shape)
    }

    public func integers(below upperBound: Int, shape: [Int]) -> [Int] {
        next("randint", count: Shape.count(shape)).scalars.map { Int($0) }
    }

    public func subsets(of count: Int, size: Int, rows: Int) -> [[Int]] {
        let flat = next("multinomial", count: rows * size).scalars.map { Int($0) }
        return (0..<rows).map { Array(flat[($0 * size)..<(($0 + 1) * size)]) }
    }

    public func bernoulli(keep: Float, shape: [Int]) -> Tensor {
        next("bernoulli", count: Shape.count(shape)).reshaped(shape)
    }
}
