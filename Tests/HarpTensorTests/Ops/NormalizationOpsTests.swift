import Foundation
import HarpTensor
import HarpTestSupport
import Testing

/// `layerNorm` and `rmsNorm` against naive Double references (forward, and autograd gradients for
/// the input, weight and bias against Float64 central differences of the reference), and against
/// the composite of tensor ops they replace.
struct NormalizationOpsTests {
    /// (x − μ) / √(σ² + ε) · w + b per row of length n in Double; μ = 0 when not `centered`
    /// (RMS normalisation), σ² the biased variance (the mean square when not centred).
    static func naive(_ x: [Double], weight: [Double]?, bias: [Double]?, n: Int, epsilon: Float,
                      centered: Bool) -> [Double] {
        stride(from: 0, to: x.count, by: n).flatMap { start -> [Double] in
            let row = Array(x[start..<(start + n)])
            let mean = centered ? row.reduce(0, +) / Double(n) : 0
            let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
            let rstd = 1 / (variance + Double(epsilon)).squareRoot()
            return row.indices.map { i in (row[i] - mean) * rstd * (weight?[i] ?? 1) + (bias?[i] ?? 0) }
        }
    }

    // [5]: one row; [2, 150, 8]: 300 rows, over several blocks of the weight-gradient partial sums;
    // [3, 1000]: rows longer than a 256-value sum block and not a multiple of 16; [2, 3, 5] over [3, 5].
    static let shapes: [(input: [Int], normalized: [Int])] = [
        ([5], [5]), ([2, 150, 8], [8]), ([3, 1000], [1000]), ([2, 3, 5], [3, 5]), ([4, 16], [16]),
    ]

    @Test(arguments: [true, false])
    func forwardMatchesNaiveDouble(centered: Bool) {
        for (seed, (shape, normalized)) in Self.shapes.enumerated() {
            let x = Tensor.sample(shape, low: -3, high: 5, seed: UInt64(seed))
            let w = Tensor.sample(normalized, low: 0.5, high: 2, seed: UInt64(seed + 10))
            let b = Tensor.sample(normalized, seed: UInt64(seed + 20))
            let n = Shape.count(normalized)
            let output = centered ? x.layerNorm(normalizedShape: normalized, weight: w, bias: b, epsilon: 1e-5)
                : x.rmsNorm(normalizedShape: normalized, weight: w, epsilon: 1e-6)
            let expected = Self.naive(x.scalars.map(Double.init), weight: w.scalars.map(Double.init),
                                      bias: centered ? b.scalars.map(Double.init) : nil, n: n,
                                      epsilon: centered ? 1e-5 : 1e-6, centered: centered)
            expectClose(output.scalars, expected.map(Float.init), relative: 1e-5, absolute: 1e-5,
                        "\(centered ? "layerNorm" : "rmsNorm") \(shape)")
        }
    }

    @Test func layerNormGradientsMatchDoubleFiniteDifferences() {
        for (seed, (shape, normalized)) in Self.shapes.enumerated() {
            let n = Shape.count(normalized)
            let x = Tensor.sample(shape, low: -3, high: 5, seed: UInt64(seed))
            let w = Tensor.sample(normalized, low: 0.5, high: 2, seed: UInt64(seed + 10))
            let b = Tensor.sample(normalized, seed: UInt64(seed + 20))
            GradientChecker.checkAgainstReference([x, w, b], "layerNorm \(shape) over \(normalized)", reference: { v in
                Self.naive(v[0], weight: v[1], bias: v[2], n: n, epsilon: 1e-5, centered: true)
            }) { $0[0].layerNorm(normalizedShape: normalized, weight: $0[1], bias: $0[2]) }
            GradientChecker.checkAgainstReference([x], "layerNorm \(shape) without affine", reference: { v in
                Self.naive(v[0], weight: nil, bias: nil, n: n, epsilon: 1e-5, centered: true)
            }) { $0[0].layerNorm(normalizedShape: normalized) }
        }
    }

    @Test func rmsNormGradientsMatchDoubleFiniteDifferences() {
        for (seed, (shape, normalized)) in Self.shapes.enumerated() {
            let n = Shape.count(normalized)
            let x = Tensor.sample(shape, low: -3, high: 5, seed: UInt64(seed))
            let w = Tensor.sample(normalized, low: 0.5, high: 2, seed: UInt64(seed + 10))
            GradientChecker.checkAgainstReference([x, w], "rmsNorm \(shape) over \(normalized)", reference: { v in
                Self.naive(v[0], weight: v[1], bias: nil, n: n, epsilon: Float.ulpOfOne, centered: false)
            }) { $0[0].rmsNorm(normalizedShape: normalized, weight: $0[1]) }
        }
    }

    @Test func biasOnlyAndParameterOnlyGradients() {
        // Weight and bias that require a gradient while the input does not, and a bias without a weight.
        let x = Tensor.sample([6, 9], seed: 1)
        let w = Tensor.sample([9], low: 0.5, high: 2, seed: 2), b = Tensor.sample([9], seed: 3)
        GradientChecker.checkAgainstReference([x, b], "layerNorm bias only", reference: { v in
            Self.naive(v[0], weight: nil, bias: v[1], n: 9, epsilon: 1e-5, centered: true)
        }) { $0[0].layerNorm(normalizedShape: [9], bias: $0[1]) }
        let weight = Tensor(shape: [9], values: w.scalars, requiresGradient: true)
        let bias = Tensor(shape: [9], values: b.scalars, requiresGradient: true)
        let y = x.layerNorm(normalizedShape: [9], weight: weight, bias: bias)
        y.backward(seed: Tensor(shape: [6, 9], repeating: 1))
        // With an upstream gradient of ones: ∂/∂b = the row count, ∂/∂w = Σ_rows x̂.
        expectClose(bias.grad!.scalars, [Float](repeating: 6, count: 9), relative: 0, absolute: 1e-6)
        let xhat = Self.naive(x.scalars.map(Double.init), weight: nil, bias: nil, n: 9, epsilon: 1e-5, centered: true)
        let expected = (0..<9).map { j in Float((0..<6).reduce(0.0) { $0 + xhat[$1 * 9 + j] }) }
        expectClose(weight.grad!.scalars, expected, relative: 1e-5, absolute: 1e-5)
    }

    @Test func layerNormMatchesTheCompositeOps() {
        let x = Tensor.sample([7, 40], low: -2, high: 4, seed: 4)
        let w = Tensor.sample([40], low: 0.5, high: 2, seed: 5), b = Tensor.sample([40], seed: 6)
        let upstream = Tensor.sample([7, 40], seed: 7)
        func gradients(_ f: (Tensor, Tensor, Tensor) -> Tensor) -> [[Float]] {
            let leaves = [x, w, b].map { Tensor(shape: $0.shape, values: $0.scalars, requiresGradient: true) }
            let y = f(leaves[0], leaves[1], leaves[2])
            y.backward(seed: upstream)
            return [y.scalars] + leaves.map { $0.grad!.scalars }
        }
        let fused = gradients { $0.layerNorm(normalizedShape: [40], weight: $1, bias: $2) }
        let composite = gradients { x, w, b in
            let centered = x - x.mean(alongAxis: -1, keepDims: true)
            let variance = centered.square().mean(alongAxis: -1, keepDims: true)
            return centered / (variance + 1e-5).sqrt() * w + b
        }
        for (name, (a, e)) in zip(["output", "dx", "dweight", "dbias"], zip(fused, composite)) {
            expectClose(a, e, relative: 1e-5, absolute: 1e-5, name)
        }
    }

    @Test func emptyInputsGiveEmptyOutputsAndZeroParameterGradients() {
        let x = Tensor(shape: [0, 4], values: [], requiresGradient: true)
        let w = Tensor.ones([4], requiresGradient: true), b = Tensor.zeros([4], requiresGradient: true)
        let y = x.layerNorm(normalizedShape: [4], weight: w, bias: b)
        #expect(y.shape == [0, 4])
        y.backward(seed: Tensor(shape: [0, 4], values: []))
        #expect(w.grad!.scalars == [0, 0, 0, 0] && b.grad!.scalars == [0, 0, 0, 0])
        #expect(x.grad!.shape == [0, 4])
    }

    @Test func constantRowsNormaliseToTheBias() {
        let x = Tensor(shape: [2, 3], values: [4, 4, 4, -1, -1, -1])
        let y = x.layerNorm(normalizedShape: [3], weight: Tensor([2, 2, 2]), bias: Tensor([0.5, 0, -0.5]))
        #expect(y.scalars == [0.5, 0, -0.5, 0.5, 0, -0.5])
    }
}
