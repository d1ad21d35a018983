import HarpTensor

/// Sums of exponentially damped sinusoids, evaluated by complex recurrence instead of calling
/// `exp` and `cos` for every sample — the forward and gradient of a resonance bank in a few
/// fused multiply-adds per oscillator and block of samples.
///
///     output[g, n] = Σ_o amplitude[o, g] · exp(−decay[o, g] · tₙ) · cos(frequency[o, g] · tₙ − phase[o, g])
///     tₙ = n · timeStep
///
/// With c = amplitude·e^(−i·phase) and w = e^((−decay + i·frequency)·timeStep), a sample is
/// Re(c · wⁿ). The bank walks n in blocks of `blockLength`: wⁿ = (w^(bB)) · wʲ, where the per-block
/// state w^(bB) advances by one complex multiply in Double (so 2¹⁷ samples accumulate no visible
/// error) and the in-block powers wʲ are a small Float table.
///
/// Inputs are `[oscillators, groups]` (the layout of seed 001's `DampedHarmonicOscillatorBlock`
/// parameters with resonance and expressivity axes flattened into groups); the output is
/// `[groups, sampleCount]`. Differentiable with respect to all four inputs.
public func dampedOscillatorBank(
    amplitude: Tensor, decay: Tensor, frequency: Tensor, phase: Tensor,
    sampleCount: Int, timeStep: Float
) -> Tensor {
    let shape = amplitude.shape
    precondition(shape.count == 2, "dampedOscillatorBank expects [oscillators, groups], got \(shape)")
    precondition(decay.shape == shape && frequency.shape == shape && phase.shape == shape,
                 "dampedOscillatorBank: parameter shapes differ")
    precondition(sampleCount >= 0, "negative sampleCount")
    let bank = DampedOscillatorBank(
        amplitude: amplitude.scalars, decay: decay.scalars, frequency: frequency.scalars,
        phase: phase.scalars, oscillatorCount: shape[0], groupCount: shape[1],
        sampleCount: sampleCount, timeStep: Double(timeStep))
    let result = Tensor(shape: [shape[1], sampleCount]) { bank.render(into: $0) }
    return Tensor.recording("dampedOscillatorBank", result: result,
                            inputs: [amplitude, decay, frequency, phase]) { gradient in
        let grads = gradient.withUnsafeBufferPointer { bank.gradients(outputGradient: $0) }
        return [Tensor(shape: shape, values: grads.amplitude),
                Tensor(shape: shape, values: grads.decay),
                Tensor(shape: shape, values: grads.frequency),
                Tensor(shape: shape, values: grads.phase)]
    }
}

/// The parameters of one bank call, and its two kernels.
struct DampedOscillatorBank {
    /// Samples per block: two SIMD16 vectors; the wʲ tables of 64 oscillators stay in L1.
    static let blockLength = 32
    typealias Block = SIMD16<Float>

    let amplitude: [Float], decay: [Float], frequency: [Float], phase: [Float]
    let oscillatorCount: Int, groupCount: Int, sampleCount: Int
    let timeStep: Double

    var blockCount: Int { (sampleCount + Self.blockLength - 1) / Self.blockLength }

    /// The index of oscillator `o` of group `g` in the `[oscillators, groups]` inputs.
    func index(_ o: Int, _ g: Int) -> Int { o * groupCount + g }

    /// w = e^((−decay + i·frequency)·Δ) for one oscillator.
    func pole(_ i: Int) -> Complex {
        Complex(polar: exp(-Double(decay[i]) * timeStep), angle: Double(frequency[i]) * timeStep)
    }

    /// Real and imaginary parts of w⁰ … w^(B−1), as two Float tables of B values.
    func inBlockPowers(_ w: Complex) -> (real: [Float], imaginary: [Float]) {
        var real = [Float](repeating: 0, count: Self.blockLength)
        var imaginary = real
        var power = Complex(1, 0)
        for j in 0..<Self.blockLength {
            real[j] = Float(power.real)
            imaginary[j] = Float(power.imaginary)
            power = power * w
        }
        return (real, imaginary)
    }
}

/// Just enough complex arithmetic in Double for the recurrences.
struct Complex {
    var real: Double
    var imaginary: Double

    init(_ real: Double, _ imaginary: Double) {
        self.real = real
        self.imaginary = imaginary
    }

    init(polar magnitude: Double, angle: Double) {
        self.init(magnitude * cos(angle), magnitude * sin(angle))
    }

    static func * (a: Complex, b: Complex) -> Complex {
        Complex(a.real * b.real - a.imaginary * b.imaginary, a.real * b.imaginary + a.imaginary * b.real)
    }

    static func + (a: Complex, b: Complex) -> Complex {
        Complex(a.real + b.real, a.imaginary + b.imaginary)
    }

    /// aⁿ by repeated squaring.
    func power(_ n: Int) -> Complex {
        var result = Complex(1, 0), base = self, n = n
        while n > 0 {
            if n & 1 == 1 { result = result * base }
            base = base * base
            n >>= 1
        }
        return result
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
