import HarpNN
import HarpTensor

/// Layers of resonance, each driven by the previous layer's routed control, blended by a softmax
/// over `mix` (with one layer, the blend is exactly the layer).
///
/// ref: seed 001 `ResonanceStack`.
public final class ResonanceStack: Module {
    /// `[layers]`: blend logits.
    public var mix: Tensor
    public let layers: [ResonanceLayer]

    public init(configuration: InstrumentConfiguration, layerCount: Int, generator: inout RandomGenerator) {
        mix = Tensor.zeros([layerCount], requiresGradient: true)
        var layers: [ResonanceLayer] = []
        for _ in 0..<layerCount { layers.append(ResonanceLayer(configuration: configuration, generator: &generator)) }
        self.layers = layers
        super.init()
    }

    /// The stack's audio `[samples]` and the first layer's attacks `[resonances, samples]`.
    public func callAsFunction(control: Tensor, deformations: Tensor, noise: [Tensor]) -> (audio: Tensor, attacks: Tensor) {
        precondition(noise.count == layers.count, "one noise tensor per layer")
        var layerControl = control
        var outputs: [Tensor] = []
        var firstAttacks: Tensor?
        for (layer, layerNoise) in zip(layers, noise) {
            let output = layer(control: layerControl, deformations: deformations, noise: layerNoise)
            outputs.append(output.audio)
            firstAttacks = firstAttacks ?? output.attacks
            layerControl = output.routedControl
        }
        let weights = mix.softmax(alongAxis: 0)                                   // [layers]
        let audio = matmul(Tensor.stacked(outputs, alongAxis: 1), weights.reshaped([layers.count, 1]))
        return (audio.reshaped([audio.count]), firstAttacks!)
    }
}
