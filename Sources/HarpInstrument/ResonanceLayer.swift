import HarpDSP
import HarpNN
import HarpTensor

/// One layer of the instrument: control → routing → attack envelopes × noise → resonances →
/// deformation blend → dry/wet mix → gain and tanh, summed over resonances.
///
/// ref: seed 001 `ResonanceLayer` and `execute_layer`. Shapes drop the seed's leading
/// `(batch, n_events) = (1, 1)` axes.
public final class ResonanceLayer: Module {
    /// `[controlPlane, attackFrames]`: one attack envelope per channel.
    @Keyed("attack_envelopes") public var attackEnvelopes = Tensor.zeros([1])
    /// `[controlPlane, resonances]`: how control energy reaches each resonance.
    public var router: Tensor
    public let resonance: ResonanceBank
    /// `[resonances, 2]`: softmax weights of the dry (attack) and wet (resonant) signal.
    public var mix: Tensor
    /// `[resonances, 1]`: gain before tanh (its absolute value is used).
    public var gains: Tensor

    @Ignored var configuration = InstrumentConfiguration()

    public init(configuration: InstrumentConfiguration, generator: inout RandomGenerator) {
        let c = configuration
        let attack = Tensor.uniform([c.controlPlaneDimension, c.attackFrameCount], low: -1, high: 1,
                                    generator: &generator, requiresGradient: true)
        router = Tensor.uniform([c.controlPlaneDimension, c.resonanceCount], low: -1, high: 1,
                                generator: &generator, requiresGradient: true)
        resonance = ResonanceBank(configuration: c, generator: &generator)
        mix = Tensor.uniform([c.resonanceCount, 2], low: -1, high: 1, generator: &generator, requiresGradient: true)
        gains = Tensor.uniform([c.resonanceCount, 1], low: 0.01, high: 1.1, generator: &generator, requiresGradient: true)
        super.init()
        self.configuration = c
        attackEnvelopes = attack
    }

    /// What one layer produces.
    public struct Output {
        /// `[samples]`: the layer's audio.
        public var audio: Tensor
        /// `[resonances, frames]`: the control signal after routing (the next layer's control).
        public var routedControl: Tensor
        /// `[resonances, samples]`: the attacks placed by the control signal, before resonance.
        public var attacks: Tensor
    }

    /// Runs the layer.
    ///
    /// - Parameters:
    ///   - control: `[controlPlane, frames]`, non-negative.
    ///   - deformations: `[expressivity, deformationFrames]` logits added to the resting blend.
    ///   - noise: `[controlPlane, attackSamples]`, uniform in [−1, 1].
    public func callAsFunction(control: Tensor, deformations: Tensor, noise: Tensor) -> Output {
        let c = configuration
        // The seed unit-normalises the block's (already unit-norm) output again before convolving.
        let resonances = resonance(normalizations: 2)
        let routed = matmul(router.transposed(), control)                       // [R, F]
        let impulse = attackEnvelopes.interpolated(toLength: c.attackSampleCount) * noise
        // upsample_with_holes + fft_convolve(impulse, ·): channel i of the attacks meets routed channel i.
        let attacks = impulseTrainConvolution(control: routed, kernel: impulse, stride: c.sampleCount / c.frameCount,
                                              outputLength: c.sampleCount)     // [R, N]
        let convolved = fftConvolve(attacks.reshaped([c.resonanceCount, 1, c.sampleCount]), resonances)
        let blend = deformationBlend(deformations)                               // [E, N]
        let weights = mix.softmax(alongAxis: -1)                                  // [R, 2]
        let dry = weights.sliced(alongAxis: 1, start: 0, end: 1)
        let wet = weights.sliced(alongAxis: 1, start: 1, end: 2)
        // Σ_r tanh((dry · attacks + wet · Σ_e blend · convolved) · |gains|), fused: one pass each
        // way over [R, E, N].
        let audio = saturatedDeformedMix(convolved: convolved, blend: blend, attacks: attacks, dry: dry, wet: wet,
                                         gain: gains.abs())
        return Output(audio: audio, routedControl: routed, attacks: attacks)
    }

    /// softmax over variants of (one-hot(0) + deformations), interpolated to audio rate: `[E, N]`.
    func deformationBlend(_ deformations: Tensor) -> Tensor {
        let c = configuration
        var resting = [Float](repeating: 0, count: c.expressivity * c.deformationFrameCount)
        for i in 0..<c.deformationFrameCount { resting[i] = 1 }
        let logits = Tensor(shape: [c.expressivity, c.deformationFrameCount], values: resting) + deformations
        return logits.softmax(alongAxis: 0).interpolated(toLength: c.sampleCount)
    }
}
