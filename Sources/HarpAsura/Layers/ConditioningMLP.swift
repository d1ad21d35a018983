import HarpNN
import HarpTensor

/// A residual MLP: input projection, feed-forward layers added to the stream (width multiplier 4),
/// output projection without bias (the reference's `MLP`, `harp/asura/modules.py`). It turns time
/// encodings and latents into the decoders' conditioning (`c_v_net`, `c_u_net`, `c_y_net`) and
/// time encodings into the adaptive loss weight (`w_net`).
///
/// Shapes: `[batch, inputWidth]` → `[batch, outputWidth]`.
public final class ConditioningMLP: Module {
    @Keyed("in_proj") public var inProjection: Linear
    public let layers: [FeedForwardLayer]
    @Keyed("out_proj") public var outProjection: Linear

    public init(inputWidth: Int, hiddenWidth: Int, layerCount: Int, outputWidth: Int, activation: Activation,
                generator: inout RandomGenerator) {
        _inProjection.wrappedValue = Linear(inputCount: inputWidth, outputCount: hiddenWidth, generator: &generator)
        layers = (0..<layerCount).map { _ in
            FeedForwardLayer(width: hiddenWidth, multiplier: 4, activation: activation, generator: &generator)
        }
        _outProjection.wrappedValue = Linear(inputCount: hiddenWidth, outputCount: outputWidth, bias: false, generator: &generator)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = inProjection(x)
        for layer in layers { h = h + layer(h) }
        return outProjection(h)
    }
}
