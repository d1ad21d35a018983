import Foundation

extension Tensor {
    /// Values drawn uniformly from `[low, high)` (PyTorch's `uniform_`).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                               generator: inout RandomGenerator,
                               requiresGradient: Bool = false) -> Tensor {
        let count = Shape.count(shape)
        let start = generator.advance(by: count)
        let seed = generator.seed
        let span = high - low
        let result = Tensor(shape: shape) { out in
            Parallel.forEachChunk(count: count, minimumChunk: 1 << 15) { range in
                for i in range {
                    out[i] = low + span * RandomGenerator.unitFloat(seed: seed, counter: start &+ UInt64(i))
                }
            }
        }
        result.requiresGradient = requiresGradient
        return result
    }

    /// Values drawn from a normal distribution (Box–Muller over two counters per value).
    public static func normal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                              generator: inout RandomGenerator,
                              requiresGradient: Bool = false) -> Tensor {
        let count = Shape.count(shape)
        let start = generator.advance(by: 2 * count)
        let seed = generator.seed
        let result = Tensor(shape: shape) { out in
            Parallel.forEachChunk(count: count, minimumChunk: 1 << 14) { range in
                for i in range {
                    let c = start &+ 2 &* UInt64(i)
                    // 1 - u keeps the logarithm's argument in (0, 1].
                    let u1 = 1 - RandomGenerator.unitFloat(seed: seed, counter: c)
                    let u2 = RandomGenerator.unitFloat(seed: seed, counter: c &+ 1)
                    let radius = (-2 * Foundation.log(u1)).squareRoot()
                    out[i] = mean + standardDeviation * radius * Foundation.cos(2 * Float.pi * u2)
                }
            }
        }
        result.requiresGradient = requiresGradient
        return result
    }
}
