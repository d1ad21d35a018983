import HarpTensor

/// Group normalisation (`torch.nn.GroupNorm`; keys `weight`, `bias`): channels are split into
/// `groupCount` groups and each (batch item, group) is normalised over its channels and time,
/// `y = (x − mean) / √(var + eps) · weight[c] + bias[c]` (biased variance).
///
/// Shapes: input `[batch, channels, …]` (e.g. `[batch, channels, time]`) → the same.
/// Parameters: `weight [channels]` (ones), `bias [channels]` (zeros) when `affine`.
/// `GroupNorm(groupCount: 1, …)` normalises each item over everything; `groupCount == channels`
/// is instance norm with an affine map.
public final class GroupNorm: Module {
    public var weight: Parameter?
    public var bias: Parameter?

    public let groupCount: Int
    public let channelCount: Int
    public let eps: Float

    public init(groupCount: Int, channelCount: Int, eps: Float = 1e-5, affine: Bool = true) {
        precondition(groupCount >= 1 && channelCount % groupCount == 0,
                     "GroupNorm: \(channelCount) channels not divisible by \(groupCount) groups")
        self.groupCount = groupCount
        self.channelCount = channelCount
        self.eps = eps
        weight = affine ? Tensor.ones([channelCount], requiresGradient: true) : nil
        bias = affine ? Tensor.zeros([channelCount], requiresGradient: true) : nil
        super.init()
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(input.rank >= 2 && input.shape[1] == channelCount,
                     "GroupNorm: input \(input.shape) does not have \(channelCount) channels on axis 1")
        let batch = input.shape[0]
        let grouped = input.reshaped([batch, groupCount, input.count / Swift.max(batch * groupCount, 1)])
        let centered = grouped - grouped.mean(alongAxis: 2, keepDims: true)
        let variance = centered.square().mean(alongAxis: 2, keepDims: true)
        var output = (centered / (variance + eps).sqrt()).reshaped(input.shape)
        // Per-channel affine map, broadcast over batch and the trailing axes.
        let channelShape = [1, channelCount] + [Int](repeating: 1, count: input.rank - 2)
        if let weight { output = output * weight.reshaped(channelShape) }
        if let bias { output = output + bias.reshaped(channelShape) }
        return output
    }
}
