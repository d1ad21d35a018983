import HarpTensor

/// Root-mean-square normalisation over the last axes (`torch.nn.RMSNorm`; key `weight`):
/// `y = x / √(mean(x²) + eps) · weight`.
///
/// Shapes: input `[…, normalizedShape…]` → the same.
/// Parameters: `weight` of `normalizedShape` (ones) when `elementwiseAffine`.
/// `eps` defaults to Float32's machine epsilon (2⁻²³), as PyTorch's `eps=None` does for float32.
public final class RMSNorm: Module {
    public var weight: Parameter?

    public let normalizedShape: [Int]
    public let eps: Float

    public init(normalizedShape: [Int], eps: Float = Float.ulpOfOne, elementwiseAffine: Bool = true) {
        self.normalizedShape = normalizedShape
        self.eps = eps
        weight = elementwiseAffine ? Tensor.ones(normalizedShape, requiresGradient: true) : nil
        super.init()
    }

    public convenience init(_ featureCount: Int, eps: Float = Float.ulpOfOne) {
        self.init(normalizedShape: [featureCount], eps: eps)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(Array(input.shape.suffix(normalizedShape.count)) == normalizedShape,
                     "RMSNorm: input \(input.shape) does not end in \(normalizedShape)")
        return input.rmsNorm(normalizedShape: normalizedShape, weight: weight, epsilon: eps)
    }
}
