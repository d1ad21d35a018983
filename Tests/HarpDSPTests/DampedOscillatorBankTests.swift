import Foundation
import Testing
import HarpTensor
@testable import HarpDSP

/// The bank against a naive Double evaluation of Σ A·e^(−x t)·cos(ω t − φ), and its gradients
/// against central finite differences of that Double reference.
struct DampedOscillatorBankTests {
    struct Parameters {
        var amplitude: [Double], decay: [Double], frequency: [Double], phase: [Double]
        let oscillatorCount: Int, groupCount: Int
    }

    static func randomParameters(oscillators: Int, groups: Int, seed: UInt64) -> Parameters {
        var generator = RandomGenerator(seed: seed)
        func draw(_ low: Float, _ high: Float) -> [Double] {
            Tensor.uniform([oscillators * groups], low: low, high: high, generator: &generator).scalars.map(Double.init)
        }
        return Parameters(amplitude: draw(-1, 1), decay: draw(0.05, 3), frequency: draw(1, 200),
                          phase: draw(-3, 3), oscillatorCount: oscillators, groupCount: groups)
    }

    /// output[g, n] in Double, straight from the definition.
    static func naive(_ p: Parameters, sampleCount: Int, timeStep: Double) -> [Double] {
        var out = [Double](repeating: 0, count: p.groupCount * sampleCount)
        for g in 0..<p.groupCount {
            for o in 0..<p.oscillatorCount {
                let i = o * p.groupCount + g
                for n in 0..<sampleCount {
                    let t = Double(n) * timeStep
                    out[g * sampleCount + n] += p.amplitude[i] * exp(-p.decay[i] * t) * cos(p.frequency[i] * t - p.phase[i])
                }
            }
        }
        return out
    }

    static func tensors(_ p: Parameters) -> [Tensor] {
        let shape = [p.oscillatorCount, p.groupCount]
        return [p.amplitude, p.decay, p.frequency, p.phase].map {
            Tensor(shape: shape, values: $0.map(Float.init), requiresGradient: true)
        }
    }

    @Test(arguments: [1, 31, 32, 100, 1000])
    func bankMatchesNaiveEvaluation(sampleCount: Int) {
        let p = Self.randomParameters(oscillators: 5, groups: 3, seed: 7)
        let timeStep = 10.0 / 999
        let t = Self.tensors(p)
        let output = dampedOscillatorBank(amplitude: t[0], decay: t[1], frequency: t[2], phase: t[3],
                                          sampleCount: sampleCount, timeStep: Float(timeStep))
        #expect(output.shape == [3, sampleCount])
        // Reference from the Float32-rounded parameters the bank actually received.
        let rounded = Parameters(amplitude: p.amplitude.map { Double(Float($0)) }, decay: p.decay.map { Double(Float($0)) },
                                 frequency: p.frequency.map { Double(Float($0)) }, phase: p.phase.map { Double(Float($0)) },
                                 oscillatorCount: 5, groupCount: 3)
        let expected = Self.naive(rounded, sampleCount: sampleCount, timeStep: Double(Float(timeStep)))
        let worst = zip(output.scalars, expected).map { abs(Double($0) - $1) }.max() ?? 0
        #expect(worst < 2e-5, "worst absolute error \(worst)")
    }

    @Test func longBankStaysAccurateOverTwoToTheSeventeenSamples() {
        let p = Parameters(amplitude: [1, 0.5], decay: [0.01, 0.2], frequency: [30_000, 123.4], phase: [0.3, -1],
                           oscillatorCount: 2, groupCount: 1)
        let n = 1 << 17, timeStep = Double(Float(10.0 / Double(n - 1)))
        let t = Self.tensors(p)
        let output = dampedOscillatorBank(amplitude: t[0], decay: t[1], frequency: t[2], phase: t[3],
                                          sampleCount: n, timeStep: Float(timeStep)).scalars
        let expected = Self.naive(p, sampleCount: n, timeStep: timeStep)
        let worst = zip(output, expected).map { abs(Double($0) - $1) }.max() ?? 0
        #expect(worst < 1e-4, "worst absolute error \(worst) over 2^17 samples")
    }

    @Test func bankGradientMatchesFiniteDifferences() {
        let p = Self.randomParameters(oscillators: 4, groups: 2, seed: 11)
        let sampleCount = 77, timeStep = Double(Float(10.0 / 76))
        var generator = RandomGenerator(seed: 3)
        let weights = Tensor.uniform([2, sampleCount], low: -1, high: 1, generator: &generator)
        let weightValues = weights.scalars.map(Double.init)
        // Parameters exactly representable in Float, so Harp and the Double reference agree.
        var base = p
        base.amplitude = p.amplitude.map { Double(Float($0)) }
        base.decay = p.decay.map { Double(Float($0)) }
        base.frequency = p.frequency.map { Double(Float($0)) }
        base.phase = p.phase.map { Double(Float($0)) }

        let t = Self.tensors(base)
        let output = dampedOscillatorBank(amplitude: t[0], decay: t[1], frequency: t[2], phase: t[3],
                                          sampleCount: sampleCount, timeStep: Float(timeStep))
        output.backward(seed: weights)

        func objective(_ q: Parameters) -> Double {
            zip(Self.naive(q, sampleCount: sampleCount, timeStep: timeStep), weightValues).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let paths: [WritableKeyPath<Parameters, [Double]>] = [\.amplitude, \.decay, \.frequency, \.phase]
        for (which, path) in paths.enumerated() {
            let analytic = t[which].grad!.scalars
            for i in 0..<analytic.count {
                let h = 1e-6 * Swift.max(1, abs(base[keyPath: path][i]))
                var plus = base, minus = base
                plus[keyPath: path][i] += h
                minus[keyPath: path][i] -= h
                let numeric = (objective(plus) - objective(minus)) / (2 * h)
                let scale = Swift.max(1, abs(numeric))
                #expect(abs(Double(analytic[i]) - numeric) / scale < 1e-4,
                        "input \(which) index \(i): analytic \(analytic[i]) vs numeric \(numeric)")
            }
        }
    }
}
