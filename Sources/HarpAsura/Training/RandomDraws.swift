import Foundation
import HarpTensor

/// Fresh draws from a seeded generator, reproducible from the seed and the position.
public final class RandomDraws: AsuraDrawSource {
    public var generator: RandomGenerator
    public let prior: AsuraModelConfiguration.Prior

    public init(generator: RandomGenerator, prior: AsuraModelConfiguration.Prior) {
        self.generator = generator
        self.prior = prior
    }

    /// ref: asura.py `sample_prior`: uniform magnitudes in [0, 1); phases `u·e^{iθ}` with `u`, `θ/2π`
    /// uniform (the reference writes it `polar(√u, θ)·√u`), so both lie in the unit disc.
    public func prior(_ shape: [Int], isMagnitude: Bool) -> Tensor {
        if prior == .normal { return Tensor.normal(shape, generator: &generator) }
        if isMagnitude { return Tensor.uniform(shape, generator: &generator) }
        let pairs = Shape.count(shape) / 2
        let theta = Tensor.uniform([pairs], generator: &generator).scalars
        let radius = Tensor.uniform([pairs], generator: &generator).scalars
        return Tensor(shape: shape) { out in
            for i in 0..<pairs {
                let angle = theta[i] * 2 * Float.pi
                out[2 * i] = radius[i] * Foundation.cos(angle)
                out[2 * i + 1] = radius[i] * Foundation.sin(angle)
            }
        }
    }

    public func sample(_ distribution: AsuraDistribution, role: AsuraDrawRole, shape: [Int]) -> Tensor {
        Tensor(shape: shape, values: distribution.sample(count: Shape.count(shape), generator: &generator))
    }

    public func integers(below upperBound: Int, shape: [Int]) -> [Int] {
        Tensor.uniform([Shape.count(shape)], generator: &generator).scalars.map { min(Int($0 * Float(upperBound)), upperBound - 1) }
    }

    public func subsets(of count: Int, size: Int, rows: Int) -> [[Int]] {
        (0..<rows).map { _ in
            var indices = Array(0..<count)
            let keys = Tensor.uniform([count], generator: &generator).scalars
            for i in 0..<size {
                let j = i + min(Int(keys[i] * Float(count - i)), count - i - 1)
                indices.swapAt(i, j)
            }
            return Array(indices.prefix(size))
        }
    }

    public func bernoulli(keep: Float, shape: [Int]) -> Tensor {
        Tensor(shape: shape, values: Tensor.uniform(shape, generator: &generator).scalars.map { $0 < keep ? 1 : 0 })
    }
}
