import Foundation
import Testing
import HarpTensor
import HarpTestSupport
@testable import HarpDSP

/// The fused blend → mix → gain against a naive Double evaluation of its definition and against
/// the composite tensor ops it replaces; gradients against central differences of the Double
/// reference for all six inputs.
struct DeformedMixTests {
    /// output[r, t] = gain[r]·(dry[r]·attacks[r, t] + wet[r]·Σ_e blend[e, t]·convolved[r, e, t]), in Double.
    static func naive(_ v: [[Double]], r: Int, e: Int, n: Int) -> [Double] {
        let (convolved, blend, attacks, dry, wet, gain) = (v[0], v[1], v[2], v[3], v[4], v[5])
        var out = [Double](repeating: 0, count: r * n)
        for i in 0..<r {
            for t in 0..<n {
                var deformed = 0.0
                for j in 0..<e { deformed += blend[j * n + t] * convolved[(i * e + j) * n + t] }
                out[i * n + t] = gain[i] * (dry[i] * attacks[i * n + t] + wet[i] * deformed)
            }
        }
        return out
    }

    static func inputs(r: Int, e: Int, n: Int, seed: UInt64) -> [Tensor] {
        var generator = RandomGenerator(seed: seed)
        return [[r, e, n], [e, n], [r, n], [r, 1], [r, 1], [r, 1]].map {
            Tensor.uniform($0, low: -1, high: 1, generator: &generator, requiresGradient: true)
        }
    }

    static func apply(_ x: [Tensor]) -> Tensor {
        deformedMix(convolved: x[0], blend: x[1], attacks: x[2], dry: x[3], wet: x[4], gain: x[5])
    }

    @Test func forwardMatchesNaiveDoubleAcrossBlocks() {
        // 9000 samples: three work blocks, the last one partial.
        let (r, e, n) = (3, 2, 9000)
        let x = Self.inputs(r: r, e: e, n: n, seed: 11)
        let expected = Self.naive(x.map { $0.scalars.map(Double.init) }, r: r, e: e, n: n)
        let worst = zip(Self.apply(x).scalars, expected).map { abs(Double($0) - $1) }.max()!
        #expect(worst < 1e-5, "worst error \(worst)")
    }

    @Test func matchesTheCompositeOpsWithGradients() {
        let (r, e, n) = (4, 2, 5000)
        let fused = Self.inputs(r: r, e: e, n: n, seed: 12)
        let plain = fused.map { Tensor(shape: $0.shape, values: $0.scalars, requiresGradient: true) }
        let deformed = (plain[0] * plain[1].reshaped([1, e, n])).sum(alongAxis: 1)
        let composite = (plain[3] * plain[2] + plain[4] * deformed) * plain[5]
        let output = Self.apply(fused)
        #expect(zip(output.scalars, composite.scalars).map { abs($0 - $1) }.max()! < 1e-5)
        var generator = RandomGenerator(seed: 13)
        let seed = Tensor.uniform([r, n], low: -1, high: 1, generator: &generator)
        output.backward(seed: seed)
        composite.backward(seed: seed)
        for (a, b) in zip(fused, plain) {
            let scale = b.grad!.scalars.map { abs($0) }.max()!
            let worst = zip(a.grad!.scalars, b.grad!.scalars).map { abs($0 - $1) }.max()!
            #expect(worst <= 1e-5 * max(scale, 1), "shape \(a.shape): worst \(worst), scale \(scale)")
        }
    }

    /// Σ_r tanh(naive mix), in Double.
    static func naiveSaturated(_ v: [[Double]], r: Int, e: Int, n: Int) -> [Double] {
        let mix = naive(v, r: r, e: e, n: n)
        return (0..<n).map { t in (0..<r).reduce(0.0) { $0 + Foundation.tanh(mix[$1 * n + t]) } }
    }

    @Test func saturatedSumMatchesTheCompositeWithGradients() {
        // 4100 samples: two work blocks and a SIMD tail.
        let (r, e, n) = (3, 2, 4100)
        let fused = Self.inputs(r: r, e: e, n: n, seed: 15)
        let plain = fused.map { Tensor(shape: $0.shape, values: $0.scalars, requiresGradient: true) }
        let output = saturatedDeformedMix(convolved: fused[0], blend: fused[1], attacks: fused[2], dry: fused[3],
                                          wet: fused[4], gain: fused[5])
        let composite = Self.apply(plain).tanh().sum(alongAxis: 0)
        let expected = Self.naiveSaturated(fused.map { $0.scalars.map(Double.init) }, r: r, e: e, n: n)
        #expect(zip(output.scalars, expected).map { abs(Double($0) - $1) }.max()! < 1e-5)
        var generator = RandomGenerator(seed: 16)
        let seed = Tensor.uniform([n], low: -1, high: 1, generator: &generator)
        output.backward(seed: seed)
        composite.backward(seed: seed)
        for (a, b) in zip(fused, plain) {
            let scale = b.grad!.scalars.map { abs($0) }.max()!
            let worst = zip(a.grad!.scalars, b.grad!.scalars).map { abs($0 - $1) }.max()!
            #expect(worst <= 1e-5 * max(scale, 1), "shape \(a.shape): worst \(worst), scale \(scale)")
        }
        GradientChecker.checkAgainstReference(Self.inputs(r: 3, e: 2, n: 37, seed: 17), "saturatedDeformedMix",
                                              reference: { Self.naiveSaturated($0, r: 3, e: 2, n: 37) }) {
            saturatedDeformedMix(convolved: $0[0], blend: $0[1], attacks: $0[2], dry: $0[3], wet: $0[4], gain: $0[5])
        }
    }

    @Test func gradientMatchesFiniteDifferencesOfDoubleReference() {
        for (r, e, n) in [(2, 2, 5), (3, 3, 40)] {
            GradientChecker.checkAgainstReference(Self.inputs(r: r, e: e, n: n, seed: 14), "deformedMix \(r)×\(e)×\(n)",
                                                  reference: { Self.naive($0, r: r, e: e, n: n) }) { Self.apply($0) }
        }
    }
}
