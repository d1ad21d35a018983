import Testing
import HarpTensor
@testable import HarpDSP

/// FFT convolution against the direct sum, including broadcasting, and its pullback against
/// the direct sum's exact gradient (it is bilinear, so that gradient is a correlation).
struct FFTConvolutionTests {
    static func direct(_ a: [Double], _ b: [Double]) -> [Double] {
        (0..<a.count).map { t in (0...t).reduce(0) { $0 + a[$1] * b[t - $1] } }
    }

    @Test func broadcastConvolutionMatchesDirectSum() {
        var generator = RandomGenerator(seed: 1)
        let n = 37
        let a = Tensor.uniform([3, 1, n], low: -1, high: 1, generator: &generator, requiresGradient: true)
        let b = Tensor.uniform([3, 2, n], low: -1, high: 1, generator: &generator, requiresGradient: true)
        let output = fftConvolve(a, b)
        #expect(output.shape == [3, 2, n])
        let av = a.scalars.map(Double.init), bv = b.scalars.map(Double.init)
        var expected: [Double] = []
        for r in 0..<3 {
            for e in 0..<2 {
                expected += Self.direct(Array(av[(r * n)..<((r + 1) * n)]), Array(bv[((r * 2 + e) * n)..<((r * 2 + e + 1) * n)]))
            }
        }
        let worst = zip(output.scalars, expected).map { abs(Double($0) - $1) }.max()!
        #expect(worst < 1e-4, "worst error \(worst)")

        let weights = Tensor.uniform(output.shape, low: -1, high: 1, generator: &generator)
        output.backward(seed: weights)
        let w = weights.scalars.map(Double.init)
        // ∂/∂a[r, τ] = Σ_e Σ_t w[r,e,t]·b[r,e,t−τ];  ∂/∂b[r,e,τ] = Σ_t w[r,e,t]·a[r,t−τ]
        for r in 0..<3 {
            for tau in 0..<n {
                var ga = 0.0
                for e in 0..<2 {
                    var gb = 0.0
                    for t in tau..<n {
                        let wi = w[(r * 2 + e) * n + t]
                        ga += wi * bv[(r * 2 + e) * n + t - tau]
                        gb += wi * av[r * n + t - tau]
                    }
                    #expect(abs(Double(b.grad!.scalars[(r * 2 + e) * n + tau]) - gb) < 1e-4)
                }
                #expect(abs(Double(a.grad!.scalars[r * n + tau]) - ga) < 1e-4)
            }
        }
    }
}
