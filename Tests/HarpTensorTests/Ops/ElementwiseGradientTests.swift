import Foundation
import HarpTensor
import HarpTestSupport
import Testing

/// Element-wise ops against naive Double references: forward values, and autograd gradients
/// against Float64 central differences of the reference (STYLE.md's preferred gradient check).
@Suite struct ElementwiseGradientTests {
    /// (op, Double reference, sampling domain, kinks to stay away from)
    static let unaryCases: [(String, (Double) -> Double, ClosedRange<Float>, [Float])] = [
        ("neg", { -$0 }, -2...2, []), ("exp", { Foundation.exp($0) }, -3...3, []),
        ("log", { Foundation.log($0) }, 0.2...3, []), ("sin", { Foundation.sin($0) }, -3...3, []),
        ("cos", { Foundation.cos($0) }, -3...3, []), ("tanh", { Foundation.tanh($0) }, -3...3, []),
        ("sigmoid", { 1 / (1 + Foundation.exp(-$0)) }, -6...6, []), ("relu", { Swift.max($0, 0) }, -2...2, [0]),
        ("gelu", { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }, -4...4, []),
        ("elu", { $0 > 0 ? $0 : Foundation.expm1($0) }, -3...3, [0]), ("sqrt", { $0.squareRoot() }, 0.2...4, []),
        ("square", { $0 * $0 }, -2...2, []), ("abs", { Swift.abs($0) }, -2...2, [0]),
        ("clamp", { Swift.min(Swift.max($0, -0.5), 0.7) }, -2...2, [-0.5, 0.7]),
        ("pow_scalar", { Foundation.pow($0, 2.5) }, 0.2...2, []), ("rdiv_scalar", { 3 / $0 }, 0.5...3, []),
    ]

    static let binaryCases: [(String, (Double, Double) -> Double)] = [
        ("add", { $0 + $1 }), ("sub", { $0 - $1 }), ("mul", { $0 * $1 }), ("div", { $0 / $1 }),
        ("pow", { Foundation.pow($0, $1) }), ("atan2", { Foundation.atan2($0, $1) }),
    ]

    @Test(arguments: unaryCases.map(\.0))
    func unaryGradientMatchesDoubleFiniteDifferences(name: String) throws {
        let (_, reference, domain, kinks) = try #require(Self.unaryCases.first { $0.0 == name })
        let op = try #require(OpCatalog.unary[name])
        for (seed, shape) in [[5], [3, 37]].enumerated() {
            let x = Tensor.sample(shape, low: domain.lowerBound, high: domain.upperBound, avoiding: kinks, seed: UInt64(seed))
            GradientChecker.checkAgainstReference([x], "\(name) \(shape)", reference: { $0[0].map(reference) }) { op($0[0]) }
        }
    }

    @Test(arguments: binaryCases.map(\.0))
    func binaryBroadcastGradientMatchesDoubleFiniteDifferences(name: String) throws {
        let (_, reference) = try #require(Self.binaryCases.first { $0.0 == name })
        let op = try #require(OpCatalog.binary[name])
        for (seed, (sa, sb)) in [([2, 3], [2, 3]), ([2, 1, 4], [3, 1]), ([], [4]), ([3, 20], [20])].enumerated() {
            // Positive bases for pow; both operands away from 0 for div and atan2.
            let a = Tensor.sample(sa, low: 0.3, high: 2, seed: UInt64(2 * seed))
            let b = Tensor.sample(sb, low: -2, high: 2, avoiding: [0], margin: 0.3, seed: UInt64(2 * seed + 1))
            GradientChecker.checkAgainstReference([a, b], "\(name) \(sa) \(sb)", reference: { values in
                broadcast(values[0], sa, values[1], sb, reference)
            }) { op($0[0], $0[1]) }
        }
    }

    @Test func snakeGradientMatchesDoubleFiniteDifferences() {
        let x = Tensor.sample([2, 3, 9], seed: 1), alpha = Tensor.sample([3], low: 0.3, high: 2, seed: 2)
        GradientChecker.checkAgainstReference([x, alpha], "snake", reference: { v in
            v[0].indices.map { i in
                let a = v[1][(i / 9) % 3], s = Foundation.sin(a * v[0][i])
                return v[0][i] + s * s / (a + 1e-9)
            }
        }) { $0[0].snake(alpha: $0[1]) }
    }
}

/// `f(a, b)` with NumPy broadcasting, in Double, the obvious way: one multi-index at a time.
func broadcast(_ a: [Double], _ sa: [Int], _ b: [Double], _ sb: [Int], _ f: (Double, Double) -> Double) -> [Double] {
    let shape = Shape.broadcast(sa, sb)!
    func flat(_ index: [Int], _ s: [Int]) -> Int {
        let aligned = Array(index.suffix(s.count))
        return zip(zip(aligned, s), Shape.strides(s)).reduce(0) { $0 + ($1.0.1 == 1 ? 0 : $1.0.0) * $1.1 }
    }
    return (0..<Shape.count(shape)).map { i in
        let index = multiIndex(i, in: shape)
        return f(a[flat(index, sa)], b[flat(index, sb)])
    }
}
