import HarpTensor

/// Layer normalisation over the last axes (`torch.nn.LayerNorm`; keys `weight`, `bias`):
/// `y = (x − mean) / √(var + eps) · weight + bias`, mean and biased variance over the
/// `normalizedShape` axes.
///
/// Shapes: input `[…, normalizedShape…]` → the same; for `[batch, channels, time]` audio features
/// normalise channels by moving them last (`movedAxis(from: 1, to: 2)`) first.
/// Parameters: `weight` (ones) and `bias` (zeros) of `normalizedShape`, when `elementwiseAffine`.
public final class LayerNorm: Module {
    public var weight: Parameter?
    public var bias: Parameter?

    public let normalizedShape: [Int]
    public let eps: Float

    public init(normalizedShape: [Int], eps: Float = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) {
        self.normalizedShape = normalizedShape
        self.eps = eps
        weight = elementwiseAffine ? Tensor.ones(normalizedShape, requiresGradient: true) : nil
        self.bias = elementwiseAffine && bias ? Tensor.zeros(normalizedShape, requiresGradient: true) : nil
        super.init()
    }

    public convenience init(_ featureCount: Int, eps: Float = 1e-5) {
        self.init(normalizedShape: [featureCount], eps: eps)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(Array(input.shape.suffix(normalizedShape.count)) == normalizedShape,
                     "LayerNorm: input \(input.shape) does not end in \(normalizedShape)")
        // One fused primitive (forward and pullback), not the composite of mean, variance and affine ops.
        return input.layerNorm(normalizedShape: normalizedShape, weight: weight, bias: bias, epsilon: eps)
    }
}
