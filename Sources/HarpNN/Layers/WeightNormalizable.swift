import HarpTensor

/// A layer whose `weight` can be reparametrised by `WeightNorm`: it can run with a weight other
/// than its own, and it has at most one other parameter, `bias`.
public protocol WeightNormalizable: Module {
    var weight: Parameter { get }
    var bias: Parameter? { get }
    /// The layer's output with `weight` in place of its own.
    func forward(_ input: Tensor, weight: Tensor) -> Tensor
}
