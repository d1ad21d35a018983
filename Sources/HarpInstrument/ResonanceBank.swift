import Foundation
import HarpDSP
import HarpNN
import HarpTensor

/// The resonances of an instrument: each of `resonanceCount × expressivity` impulse responses is
/// a sum of damped harmonic oscillators, unit-normalised.
///
/// ref: seed 001 `DampedHarmonicOscillatorBlock` and `damped_harmonic_oscillator`:
///
///     m = σ(mass), b = 30·σ(damping), k = 10^tension, x = b / 2m, ω = √max(k − x², 1e-12)
///     φ = atan2(x·d₀, d₀·ω), a = d₀ / cos φ
///     z(t) = a·e^(−x t)·cos(ω t − φ),  t = linspace(0, 10, N)
///     resonance = unit_norm(Σ_o amplitude² · z)
///
/// The per-oscillator constants are ordinary differentiable ops on `[O, R, E]` tensors; the
/// `[O, R, E, N]` signal is never materialised: `dampedOscillatorBank` sums it by recurrence.
public final class ResonanceBank: Module {
    /// Parameters `[oscillators, resonances, expressivity]`, in the seed's registration order.
    public var damping: Tensor
    public var mass: Tensor
    public var tension: Tensor
    @Keyed("initial_displacement") public var initialDisplacement = Tensor.zeros([1])
    /// `[oscillators, resonances, expressivity, 1]`.
    public var amplitudes: Tensor

    @Ignored var configuration = InstrumentConfiguration()

    public init(configuration: InstrumentConfiguration, generator: inout RandomGenerator) {
        self.configuration = configuration
        let shape = [configuration.oscillatorCount, configuration.resonanceCount, configuration.expressivity]
        damping = Tensor.uniform(shape, low: 0.5, high: 1.5, generator: &generator, requiresGradient: true)
        mass = Tensor.uniform(shape, low: -2, high: 2, generator: &generator, requiresGradient: true)
        tension = Tensor.uniform(shape, low: 4, high: 9, generator: &generator, requiresGradient: true)
        amplitudes = Tensor.zeros([1])
        super.init()
        initialDisplacement = Tensor.uniform(shape, low: -1, high: 2, generator: &generator, requiresGradient: true)
        amplitudes = Tensor.uniform(shape + [1], low: -1, high: 1, generator: &generator, requiresGradient: true)
    }

    /// The oscillators' constants: `[O, R·E]` each, ready for the bank.
    func oscillatorConstants() -> (amplitude: Tensor, decay: Tensor, frequency: Tensor, phase: Tensor) {
        let m = mass.sigmoid()
        let b = damping.sigmoid() * 30
        let k = pow(Tensor(scalar: 10), tension)
        let d0 = initialDisplacement
        let x = b / (2 * m)
        let omega = (k - x.square()).clamped(min: 1e-12).sqrt()
        let phi = atan2(x * d0, d0 * omega)
        let a = d0 / phi.cos()
        let amplitude = a * amplitudes.reshaped(d0.shape).square()
        let flat = [configuration.oscillatorCount, configuration.resonanceCount * configuration.expressivity]
        return (amplitude.reshaped(flat), x.reshaped(flat), omega.reshaped(flat), phi.reshaped(flat))
    }

    /// The materialised resonances `[resonances, expressivity, samples]`, unit-normalised
    /// `normalizations` times: once is the seed's block output; the layer asks for two, its own
    /// `unit_norm` of that output folded into the same pass.
    public func callAsFunction(normalizations: Int = 1) -> Tensor {
        let c = oscillatorConstants()
        let signal = dampedOscillatorBank(amplitude: c.amplitude, decay: c.decay, frequency: c.frequency, phase: c.phase,
                                          sampleCount: configuration.sampleCount, timeStep: configuration.oscillatorTimeStep)
        return unitNormalized(signal, epsilon: 1e-8, passes: normalizations)
            .reshaped([configuration.resonanceCount, configuration.expressivity, configuration.sampleCount])
    }
}

/// x / (max|x| + 1e-8) along the last axis (matching-pursuit `max_norm`).
func maxNorm(_ x: Tensor) -> Tensor {
    x / (x.abs().max(alongAxis: -1, keepDims: true) + 1e-8)
}
