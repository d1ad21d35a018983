import HarpNN
import HarpTensor

/// The sequence encoder and predictor over tokens (the reference's `Transformer`,
/// `harp/asura/modules.py`): one learnt scratch token in front, an input projection, layers that
/// alternate attention and feed-forward with a post-norm residual, and a side stream summing every
/// layer's output, normed and added back before the output projection.
///
/// Shapes: `[batch, length, inputWidth]` → `[batch, 1 + length, outputWidth]` (the scratch
/// token's output first, as `include_scratch_outputs=1` returns it).
public final class SequenceTransformer: Module {
    @Keyed("in_proj") public var inProjection: Linear
    @Keyed("out_proj") public var outProjection: Linear
    /// `AttentionLayer` at even indices, `FeedForwardLayer` at odd ones.
    public let layers: [Module]
    @Keyed("scratch_inputs") public var scratchInputs: Parameter

    public init(_ config: TransformerConfiguration, inputWidth: Int, outputWidth: Int, positionRange: Int,
                isCausal: Bool, generator: inout RandomGenerator) {
        _inProjection.wrappedValue = Linear(inputCount: inputWidth, outputCount: config.modelWidth, generator: &generator)
        _outProjection.wrappedValue = Linear(inputCount: config.modelWidth, outputCount: outputWidth, generator: &generator)
        layers = (0..<config.layerCount).map { i -> Module in
            i % 2 == 0
                ? AttentionLayer(config, positionRange: positionRange, isCausal: isCausal, generator: &generator)
                : FeedForwardLayer(width: config.modelWidth, multiplier: config.feedForwardMultiplier,
                                   activation: config.activation, generator: &generator)
        }
        _scratchInputs.wrappedValue = Tensor.zeros([1, inputWidth], requiresGradient: true)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let batch = x.shape[0], width = x.shape[2]
        let scratch = scratchInputs.unsqueezed(axis: 0).expanded(to: [batch, 1, width])
        var h = inProjection(Tensor.concatenated([scratch, x], alongAxis: 1))
        var side = h
        let modelWidth = h.shape[2]
        for layer in layers {
            let o = (layer as? AttentionLayer).map { $0(h) } ?? (layer as! FeedForwardLayer)(h)
            h = (h + o).layerNorm(normalizedShape: [modelWidth])
            side = side + o
        }
        return outProjection(h + side.layerNorm(normalizedShape: [modelWidth]))
    }
}
