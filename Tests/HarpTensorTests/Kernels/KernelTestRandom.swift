/// A seeded SplitMix64 generator so kernel tests draw the same numbers on every run.
struct KernelTestRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [-1, 1).
    mutating func uniform() -> Float {
        Float(Double(next() >> 11) / Double(1 << 53) * 2 - 1)
    }

    mutating func floats(_ count: Int) -> [Float] {
        (0..<count).map { _ in uniform() }
    }
}

/// Largest absolute difference between a Float result and a Double reference.
func maxAbsDifference(_ actual: [Float], _ expected: [Double]) -> Double {
    precondition(actual.count == expected.count, "size mismatch \(actual.count) vs \(expected.count)")
    return zip(actual, expected).reduce(0) { max($0, abs(Double($1.0) - $1.1)) }
}

func maxAbs(_ values: [Double]) -> Double {
    values.reduce(0) { max($0, abs($1)) }
}

extension Array where Element == Float {
    var doubles: [Double] { map(Double.init) }
}
