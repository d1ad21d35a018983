import HarpTensor

/// Weight normalisation of a layer's weight, `w = g · v / ‖v‖` with the norm over every axis
/// but the first (`torch.nn.utils.weight_norm(module, dim=0)`).
///
/// State dict keys are those of the PyTorch module after `weight_norm`: `bias` (the wrapped
/// layer's, shared), `weight_g` (`g`, shape `[weight.shape[0], 1, …, 1]`) and `weight_v` (`v`,
/// the weight's shape) — no `weight` and no nesting, so a weight-normed reference loads as is.
/// Shapes are the wrapped layer's.
///
/// ref: Salimans & Kingma 2016, "Weight Normalization"; PyTorch `torch/nn/utils/weight_norm.py`
/// (`g` starts as `‖w‖`, `v` as `w`, so the layer's output is unchanged by wrapping).
public final class WeightNorm<Layer: WeightNormalizable>: Module {
    public var bias: Parameter?
    @Keyed("weight_g") public var magnitude: Parameter
    @Keyed("weight_v") public var direction: Parameter
    /// The wrapped layer; its own `weight` is not used (nor saved) while wrapped.
    @Ignored public var layer: Layer

    public init(_ layer: Layer) {
        self.layer = layer
        bias = layer.bias
        super.init()
        let weight = layer.weight.detached()
        direction = Tensor(shape: weight.shape, values: weight.scalars, requiresGradient: true)
        let norm = withoutGradients { Self.norm(of: weight) }
        magnitude = Tensor(shape: norm.shape, values: norm.scalars, requiresGradient: true)
    }

    /// `‖v‖` over every axis but the first, keeping the axes: `[n, 1, …, 1]`.
    static func norm(of v: Tensor) -> Tensor {
        v.square().sum(alongAxes: Array(1..<v.rank), keepDims: true).sqrt()
    }

    /// The effective weight `g · v / ‖v‖`.
    public var weight: Tensor {
        direction * (magnitude / Self.norm(of: direction))
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        layer.forward(input, weight: weight)
    }

    /// The wrapped layer with the effective weight written into its `weight` (PyTorch's
    /// `remove_weight_norm`), for inference without the reparametrisation.
    public func folded() -> Layer {
        let effective = withoutGradients { weight }
        layer.weight.assign(effective)
        return layer
    }
}
