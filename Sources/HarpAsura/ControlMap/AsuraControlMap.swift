import HarpNN
import HarpTensor

/// The control map: a few knobs → a latent the generator decodes (ref: alephic/asura
/// `harp/asura/train_control_map.py` `BAF`, a bidirectional amortised flow from normal noise to
/// the cached latents, and `play.py`, which steers with its one-step map).
///
/// The knobs (each in [−1, 1]) weight fixed random unit directions `controlAxes [knobs, d_token]`
/// of the flow's noise space; the one-step flow `y_net` carries that point to a latent:
/// `latent = p + y_net(p)` with `p = knobs · controlAxes`. Training (`AsuraControlMapTrainer`)
/// needs the velocity and jump networks too; the map file keeps only what playing needs:
/// `y_net_ema.*` (the moving average of `y_net`, which play.py loads) and `control_axes`.
public final class AsuraControlMap: Module {
    @Keyed("y_net_ema") public var oneStep: ConditioningMLP
    @Keyed("control_axes") public var controlAxes: Parameter
    @Ignored public var settings: Settings

    public struct Settings: Sendable, Equatable {
        /// The latent width (the model's `d_token`).
        public var latentWidth: Int
        public var hiddenWidth: Int
        public var layerCount: Int
        public var knobCount: Int
        /// Identifies the model whose latents the map was trained on (`AsuraModel.fingerprint`).
        public var modelFingerprint: String
        public var knobNames: [String]

        public init(latentWidth: Int, hiddenWidth: Int = 256, layerCount: Int = 2, knobCount: Int = 8,
                    modelFingerprint: String, knobNames: [String] = []) {
            self.latentWidth = latentWidth
            self.hiddenWidth = hiddenWidth
            self.layerCount = layerCount
            self.knobCount = knobCount
            self.modelFingerprint = modelFingerprint
            self.knobNames = knobNames
        }
    }

    public init(_ settings: Settings, generator: inout RandomGenerator) {
        self.settings = settings
        _oneStep.wrappedValue = Self.network(inputWidth: settings.latentWidth, settings: settings, outputWidth: settings.latentWidth,
                                             generator: &generator)
        // ref: play.py `control_axes`: normal draws normalised to unit length.
        let axes = Tensor.normal([settings.knobCount, settings.latentWidth], generator: &generator)
        let norms = (axes * axes).sum(alongAxis: 1, keepDims: true).sqrt()
        _controlAxes.wrappedValue = axes / norms
        super.init()
    }

    /// A residual MLP of the map (`MLP(..., act_fn='silu')`) with its output projection zeroed, as
    /// the reference initialises it (`zero_out=True`), so each network starts as "no change".
    static func network(inputWidth: Int, settings: Settings, outputWidth: Int, generator: inout RandomGenerator) -> ConditioningMLP {
        let mlp = ConditioningMLP(inputWidth: inputWidth, hiddenWidth: settings.hiddenWidth, layerCount: settings.layerCount,
                                  outputWidth: outputWidth, activation: .silu, generator: &generator)
        mlp.outProjection.weight = Tensor.zeros(mlp.outProjection.weight.shape, requiresGradient: true)
        for layer in mlp.layers { layer.ff["2"]!.weight = Tensor.zeros(layer.ff["2"]!.weight.shape, requiresGradient: true) }
        return mlp
    }

    /// The point of the noise space the knobs pick: `[1, d_token]`.
    public func noisePoint(knobs: [Float]) -> Tensor {
        precondition(knobs.count == settings.knobCount, "control map: \(knobs.count) knob values for \(settings.knobCount) knobs")
        return matmul(Tensor(shape: [1, knobs.count], values: knobs), controlAxes)
    }

    /// The latent of knob values (each clamped to [−1, 1] by the caller): `d_token` values.
    public func latent(knobs: [Float]) -> [Float] {
        withoutGradients {
            let p = noisePoint(knobs: knobs)
            return (p + oneStep(p)).scalars
        }
    }
}
