/// A reproducible source of random numbers: value `i` of a draw is a pure function of the seed and
/// the generator's position, so results never depend on how many threads fill a tensor.
///
/// Counter-based (a SplitMix64 finaliser over `seed ⊕ counter`), like Philox in PyTorch's CUDA
/// generator: each draw of `n` values uses counters `position ..< position + n`, then advances.
public struct RandomGenerator: Sendable {
    public let seed: UInt64
    /// How many values have been drawn so far.
    public private(set) var position: UInt64 = 0

    public init(seed: UInt64) {
        self.seed = seed
    }

    /// A generator that continues where one with this seed stood after `position` draws
    /// (checkpoints store the position so a resumed run draws what an uninterrupted one would).
    public init(seed: UInt64, position: UInt64) {
        self.seed = seed
        self.position = position
    }

    /// Reserves `count` counters and returns the first.
    mutating func advance(by count: Int) -> UInt64 {
        let start = position
        position &+= UInt64(count)
        return start
    }

    /// 64 well-mixed bits for `counter` (SplitMix64's finaliser; passes BigCrush as a hash).
    @inlinable
    public static func bits(seed: UInt64, counter: UInt64) -> UInt64 {
        var z = seed &+ (counter &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1) with 24 random bits (every Float32 step in the range is reachable).
    @inlinable
    public static func unitFloat(seed: UInt64, counter: UInt64) -> Float {
        Float(bits(seed: seed, counter: counter) >> 40) * (1.0 / 16_777_216.0)
    }
}
