import HarpTensor

extension Tensor {
    /// Seeded uniform values in `[low, high)` at least `margin` away from every point in
    /// `avoiding` (the kinks of relu, abs, clamp…), for gradient checks that must not straddle one.
    public static func sample(_ shape: [Int], low: Float = -2, high: Float = 2, avoiding kinks: [Float] = [],
                              margin: Float = 0.05, seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        let values = Tensor.uniform(shape, low: low, high: high, generator: &generator).scalars.map { value -> Float in
            var v = value
            for kink in kinks where Swift.abs(v - kink) < margin {
                v = kink + (v < kink ? -margin : margin)   // push outward, off the kink
            }
            return v
        }
        return Tensor(shape: shape, values: values)
    }
}
