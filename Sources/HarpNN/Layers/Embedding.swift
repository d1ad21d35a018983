import HarpTensor

/// A lookup table of learned vectors (`torch.nn.Embedding`; key `weight`).
///
/// Shapes: indices of any shape `[…]` (integers in `0..<count`) → `[…, dimension]`.
/// Parameters: `weight [count, dimension]`, initialised from a standard normal as in PyTorch.
/// Gradient: rows used by several indices receive the sum of their gradients.
public final class Embedding: Module {
    public var weight: Parameter

    public init(count: Int, dimension: Int, generator: inout RandomGenerator) {
        weight = Tensor.normal([count, dimension], generator: &generator, requiresGradient: true)
        super.init()
    }

    public var count: Int { weight.shape[0] }
    public var dimension: Int { weight.shape[1] }

    /// The rows of `weight` at `indices`, in `shape` (default: a flat list).
    public func callAsFunction(_ indices: [Int], shape: [Int]? = nil) -> Tensor {
        let shape = shape ?? [indices.count]
        precondition(Shape.count(shape) == indices.count, "Embedding: \(indices.count) indices for shape \(shape)")
        precondition(indices.allSatisfy { (0..<count).contains($0) }, "Embedding: index out of 0..<\(count)")
        return weight.gathered(indices: indices, alongAxis: 0).reshaped(shape + [dimension])
    }

    /// The rows at the indices held (as whole numbers) in `indices`, any shape.
    public func callAsFunction(_ indices: Tensor) -> Tensor {
        callAsFunction(indices.scalars.map { Int($0) }, shape: indices.shape)
    }
}
