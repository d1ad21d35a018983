import Foundation
import HarpTensor
import HarpTestSupport
import Testing

/// The fast paths against the obvious loops: SIMD transcendental functions over their whole range,
/// the multi-core paths (≥ 64K values), and storage sharing.
@Suite struct KernelTests {
    /// A dense sweep with the special values (±∞, NaN, overflow and underflow edges) mixed in so
    /// that they land in SIMD lanes as well as in the scalar tail.
    static let sweep: [Float] = stride(from: Float(-100), through: 100, by: 0.0137).map { $0 }
        + [0, -0, .infinity, -.infinity, .nan, 88.7, 88.72, 89, -87.3, -87.4, -103, -104, 1e-6, -1e-6, 0.6249, 0.6251]

    @Test func simdExpMatchesFoundationWithinTwoUlpAndHandlesSpecials() {
        let y = Tensor(Self.sweep).exp().scalars
        let expected = Self.sweep.map { Foundation.exp($0) }
        // Below −87.34 results are subnormal; the kernel flushes them to 0 (error < 1.2e-38).
        expectClose(y, expected, relative: 2.5e-7, absolute: 1.2e-38, "exp")
    }

    @Test func simdTanhAndSigmoidMatchFoundation() {
        expectClose(Tensor(Self.sweep).tanh().scalars, Self.sweep.map { Foundation.tanh($0) }, relative: 4e-7, absolute: 1e-7, "tanh")
        expectClose(Tensor(Self.sweep).sigmoid().scalars, Self.sweep.map { 1 / (1 + Foundation.exp(-$0)) },
                    relative: 4e-7, absolute: 1e-38, "sigmoid")
    }

    @Test func parallelBroadcastAndReductionPathsMatchLoops() {
        let a = Tensor.sample([3, 40_000], seed: 1), row = Tensor.sample([40_000], seed: 2), column = Tensor.sample([3, 1], seed: 3)
        let y = a * row + column
        let (av, rv, cv) = (a.scalars, row.scalars, column.scalars)
        let expected = (0..<120_000).map { av[$0] * rv[$0 % 40_000] + cv[$0 / 40_000] }
        expectClose(y.scalars, expected, relative: 1e-6, absolute: 1e-6, "a * row + column")
        let total = expected.reduce(0.0) { $0 + Double($1) }
        expectClose([y.sum().item], [Float(total)], relative: 1e-5, absolute: 1e-3, "sum of 120K")
        let rowSums = y.sum(alongAxis: 1).scalars
        expectClose(rowSums, (0..<3).map { r in Float((0..<40_000).reduce(0.0) { $0 + Double(expected[r * 40_000 + $1]) }) },
                    relative: 1e-5, absolute: 1e-3, "row sums")
        expectClose(y.sum(alongAxis: 0).scalars, (0..<40_000).map { c in expected[c] + expected[40_000 + c] + expected[80_000 + c] },
                    relative: 1e-5, absolute: 1e-5, "column sums")
    }

    @Test func reshapedSharesStorageAndOtherOpsCopy() {
        let x = Tensor.sample([2, 6], seed: 4)
        #expect(x.reshaped(3, 4).storage === x.storage)
        #expect(x.reshaped(-1).shape == [12])
        #expect(x.transposed().storage !== x.storage)
    }

    @Test func softmaxOfAllNegativeInfinityRowIsNaNLikePyTorchButLogSumExpIsNegativeInfinity() {
        let x = Tensor(shape: [1, 3], repeating: -.infinity)
        #expect(x.softmax().scalars.allSatisfy { $0.isNaN })
        #expect(x.logSumExp(alongAxis: -1).item == -.infinity)
    }

    @Test func whereSelectsGradientsWithoutMultiplyingSoInfiniteValuesDoNotMakeNaN() {
        // (As in PyTorch, a NaN produced *upstream* of the unused branch — sqrt of a negative —
        // still reaches its input: 0 · ∞ there is the op's own pullback, not `where`'s.)
        let a = Tensor([.infinity, 1], requiresGradient: true), b = Tensor([2, .infinity], requiresGradient: true)
        let y = `where`(Tensor([0, 1]), a, b)
        #expect(y.scalars == [2, 1])
        y.backward(seed: Tensor([3, 5]))
        #expect(a.grad!.scalars == [0, 5])
        #expect(b.grad!.scalars == [3, 0])
    }

    @Test func gradientsAccumulateThroughSharedInputs() {
        let x = Tensor([1, 2, 3], requiresGradient: true)
        (x * x + x).sum().backward()
        #expect(x.grad!.scalars == [3, 5, 7])
    }
}
