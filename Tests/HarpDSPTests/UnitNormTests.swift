import Foundation
import Testing
import HarpTensor
import HarpTestSupport
@testable import HarpDSP

/// The fused unit norm against the composite it replaces, computed naively in Double, and its
/// pullback against central differences of that Double reference.
struct UnitNormTests {
    /// x / (‖x‖ + ε) per row of length n, in Double.
    static func naive(_ x: [Double], n: Int, epsilon: Double = 1e-8) -> [Double] {
        stride(from: 0, to: x.count, by: n).flatMap { start -> [Double] in
            let row = x[start..<(start + n)]
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return row.map { $0 / (norm + epsilon) }
        }
    }

    @Test func forwardMatchesNaiveDouble() {
        var generator = RandomGenerator(seed: 3)
        // 1000 is not a multiple of the SIMD width or the 256-value block.
        for shape in [[3, 1000], [2, 2, 37], [5], [1, 4096]] {
            let x = Tensor.uniform(shape, low: -2, high: 2, generator: &generator)
            let expected = Self.naive(x.scalars.map(Double.init), n: shape.last!)
            let worst = zip(unitNormalized(x).scalars, expected).map { abs(Double($0) - $1) }.max()!
            #expect(worst < 1e-6, "shape \(shape): worst error \(worst)")
        }
    }

    @Test func matchesTheCompositeOps() {
        var generator = RandomGenerator(seed: 4)
        let x = Tensor.uniform([4, 3000], low: -1, high: 1, generator: &generator)
        let composite = x / (x.square().sum(alongAxis: -1, keepDims: true).sqrt() + 1e-8)
        let worst = zip(unitNormalized(x).scalars, composite.scalars).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-6)
    }

    @Test func gradientMatchesFiniteDifferencesOfDoubleReference() {
        var generator = RandomGenerator(seed: 5)
        for shape in [[2, 7], [3, 600]] {
            let x = Tensor.uniform(shape, low: -1, high: 1, generator: &generator, requiresGradient: true)
            GradientChecker.checkAgainstReference([x], "unitNormalized \(shape)",
                                                  reference: { Self.naive($0[0], n: shape.last!) }) { unitNormalized($0[0]) }
        }
    }

    /// Two passes in one equal the normalisation applied twice; a large epsilon makes the second
    /// pass visible (with the seed's 1e-8 it is below Float resolution forward, not in the pullback).
    @Test func twoPassesEqualNormalisingTwice() {
        var generator = RandomGenerator(seed: 6)
        let epsilon = 0.25
        let twice: ([Double], Int) -> [Double] = { x, n in
            Self.naive(Self.naive(x, n: n, epsilon: epsilon), n: n, epsilon: epsilon)
        }
        let x = Tensor.uniform([3, 500], low: -0.1, high: 0.1, generator: &generator)
        let expected = twice(x.scalars.map(Double.init), 500)
        let fused = unitNormalized(x, epsilon: Float(epsilon), passes: 2).scalars
        let worst = zip(fused, expected).map { abs(Double($0) - $1) }.max()!
        #expect(worst < 1e-6, "worst error \(worst)")
        let once = unitNormalized(x, epsilon: Float(epsilon)).scalars
        #expect(zip(once, expected).map { abs(Double($0) - $1) }.max()! > 1e-3)
        for shape in [[2, 7], [3, 600]] {
            let leaf = Tensor.uniform(shape, low: -0.5, high: 0.5, generator: &generator, requiresGradient: true)
            GradientChecker.checkAgainstReference([leaf], "unitNormalized ×2 \(shape)",
                                                  reference: { twice($0[0], shape.last!) }) {
                unitNormalized($0[0], epsilon: Float(epsilon), passes: 2)
            }
        }
    }

    @Test func zeroRowStaysZeroWithFiniteGradient() {
        let x = Tensor(shape: [2, 3], values: [0, 0, 0, 3, 4, 0], requiresGradient: true)
        let y = unitNormalized(x)
        #expect(Array(y.scalars[0..<3]) == [0, 0, 0])
        #expect(abs(y.scalars[3] - 0.6) < 1e-6 && abs(y.scalars[4] - 0.8) < 1e-6)
        y.backward(seed: Tensor(shape: [2, 3], values: [1, 1, 1, 1, 1, 1]))
        #expect(x.grad!.scalars.allSatisfy { $0.isFinite })
    }
}
