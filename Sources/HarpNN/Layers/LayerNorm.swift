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
        let axes = Array((input.rank - normalizedShape.count)..<input.rank)
        let centered = input - input.mean(alongAxes: axes, keepDims: true)
        let variance = centered.square().mean(alongAxes: axes, keepDims: true)
        var output = centered / (variance + eps).sqrt()
        if let weight { output = output * weight }
        if let bias { output = output + bias }
        return output
    }
}
