import Testing
@testable import HarpTensor

/// matmul and its gradients against the triple loop in Double (the product is bilinear, so the
/// loop gives the exact gradient: ∂/∂A = G·Bᵀ, ∂/∂B = Aᵀ·G).
struct MatrixMultiplicationTests {
    @Test(arguments: [([2, 3, 4], [2, 4, 5]), ([3, 4], [4, 2]), ([2, 3, 4], [4, 5]), ([3, 4], [2, 4, 5])])
    func matmulAndGradientsMatchTripleLoop(shapes: ([Int], [Int])) {
        var generator = RandomGenerator(seed: 2)
        let a = Tensor.uniform(shapes.0, low: -1, high: 1, generator: &generator, requiresGradient: true)
        let b = Tensor.uniform(shapes.1, low: -1, high: 1, generator: &generator, requiresGradient: true)
        let c = matmul(a, b)
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
        let batch = c.count / (m * n)
        let weights = Tensor.uniform(c.shape, low: -1, high: 1, generator: &generator)
        c.backward(seed: weights)
        let av = a.scalars.map(Double.init), bv = b.scalars.map(Double.init), w = weights.scalars.map(Double.init)
        let sa = a.rank == 2 ? 0 : m * k, sb = b.rank == 2 ? 0 : k * n
        var ga = [Double](repeating: 0, count: av.count), gb = [Double](repeating: 0, count: bv.count)
        for i in 0..<batch {
            for r in 0..<m {
                for col in 0..<n {
                    var sum = 0.0
                    for j in 0..<k {
                        sum += av[i * sa + r * k + j] * bv[i * sb + j * n + col]
                        ga[i * sa + r * k + j] += w[(i * m + r) * n + col] * bv[i * sb + j * n + col]
                        gb[i * sb + j * n + col] += w[(i * m + r) * n + col] * av[i * sa + r * k + j]
                    }
                    #expect(abs(Double(c.scalars[(i * m + r) * n + col]) - sum) < 1e-5)
                }
            }
        }
        #expect(zip(a.grad!.scalars, ga).allSatisfy { abs(Double($0) - $1) < 1e-5 })
        #expect(zip(b.grad!.scalars, gb).allSatisfy { abs(Double($0) - $1) < 1e-5 })
    }
}
