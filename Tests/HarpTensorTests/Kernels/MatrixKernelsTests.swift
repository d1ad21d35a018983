import Testing
@testable import HarpTensor

/// `sgemm` and `batchedSgemm` against a naive triple loop in Double.
struct MatrixKernelsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let m: Int, n: Int, k: Int
        let transposeA: Bool, transposeB: Bool
        var testDescription: String { "\(m)×\(k)·\(k)×\(n) tA=\(transposeA) tB=\(transposeB)" }
    }

    static let cases: [Case] = [(1, 1, 1), (3, 7, 5), (5, 3, 7), (17, 1, 9), (1, 13, 4), (1, 300, 257), (3, 300, 400), (33, 31, 65)].flatMap { shape in
        [(false, false), (true, false), (false, true), (true, true)].map {
            Case(m: shape.0, n: shape.1, k: shape.2, transposeA: $0.0, transposeB: $0.1)
        }
    }

    /// `C[i, j] = alpha · Σ_p op(A)[i, p] · op(B)[p, j] + beta · C[i, j]`, with packed storage.
    static func naive(_ c: Case, a: [Float], b: [Float], cInitial: [Float], alpha: Double, beta: Double) -> [Double] {
        var result = [Double](repeating: 0, count: c.m * c.n)
        for i in 0..<c.m {
            for j in 0..<c.n {
                var sum = 0.0
                for p in 0..<c.k {
                    let aValue = c.transposeA ? a[p * c.m + i] : a[i * c.k + p]
                    let bValue = c.transposeB ? b[j * c.k + p] : b[p * c.n + j]
                    sum += Double(aValue) * Double(bValue)
                }
                result[i * c.n + j] = alpha * sum + beta * Double(cInitial[i * c.n + j])
            }
        }
        return result
    }

    @Test(arguments: cases)
    func sgemmMatchesNaiveTripleLoop(_ c: Case) {
        var random = KernelTestRandom(seed: 21)
        let a = random.floats(c.m * c.k), b = random.floats(c.k * c.n), cInitial = random.floats(c.m * c.n)
        var result = cInitial
        MatrixKernels.sgemm(transposeA: c.transposeA, transposeB: c.transposeB, m: c.m, n: c.n, k: c.k,
                            alpha: 0.5, a: a, b: b, beta: -2, c: &result)
        let expected = Self.naive(c, a: a, b: b, cInitial: cInitial, alpha: 0.5, beta: -2)
        #expect(maxAbsDifference(result, expected) <= 1e-5 * Double(c.k + 2))
    }

    @Test func sgemmWithZeroBetaIgnoresNaNInOutput() {
        let a: [Float] = [1, 2], b: [Float] = [3, 4]
        var result = [Float](repeating: .nan, count: 1)
        MatrixKernels.sgemm(m: 1, n: 1, k: 2, a: a, b: b, c: &result)
        #expect(result == [11])
    }

    @Test func sgemmWithEmptyInnerDimensionScalesOutputByBeta() {
        var result: [Float] = [1, 2, 3, 4]
        MatrixKernels.sgemm(m: 2, n: 2, k: 0, a: [], b: [], beta: 3, c: &result)
        #expect(result == [3, 6, 9, 12])
    }

    @Test func sgemmHonoursLeadingDimensions() {
        // A is the left 2×2 block of a 2×3 buffer; C is written into a 2×4 buffer.
        let a: [Float] = [1, 2, 99, 3, 4, 99]
        let b: [Float] = [1, 0, 0, 1]
        var result = [Float](repeating: -1, count: 8)
        MatrixKernels.sgemm(m: 2, n: 2, k: 2, a: a, lda: 3, b: b, c: &result, ldc: 4)
        #expect(result == [1, 2, -1, -1, 3, 4, -1, -1])
    }

    @Test(arguments: [1, 3, 64])
    func batchedSgemmMatchesPerItemNaiveLoop(batchCount: Int) {
        let c = Case(m: 4, n: 6, k: 5, transposeA: false, transposeB: true)
        var random = KernelTestRandom(seed: 22)
        let a = random.floats(batchCount * c.m * c.k), b = random.floats(batchCount * c.k * c.n)
        var result = [Float](repeating: .nan, count: batchCount * c.m * c.n)
        MatrixKernels.batchedSgemm(batchCount: batchCount, transposeB: true, m: c.m, n: c.n, k: c.k, a: a, b: b, c: &result)
        for item in 0..<batchCount {
            let expected = Self.naive(c, a: Array(a[(item * c.m * c.k)...].prefix(c.m * c.k)),
                                      b: Array(b[(item * c.k * c.n)...].prefix(c.k * c.n)),
                                      cInitial: [Float](repeating: 0, count: c.m * c.n), alpha: 1, beta: 0)
            #expect(maxAbsDifference(Array(result[(item * c.m * c.n)...].prefix(c.m * c.n)), expected) <= 1e-5)
        }
    }

    @Test func batchedSgemmBroadcastsSingleMatrixWithZeroStride() {
        let batchCount = 3
        let c = Case(m: 2, n: 3, k: 4, transposeA: false, transposeB: false)
        var random = KernelTestRandom(seed: 23)
        let a = random.floats(batchCount * c.m * c.k), weight = random.floats(c.k * c.n)
        var result = [Float](repeating: .nan, count: batchCount * c.m * c.n)
        MatrixKernels.batchedSgemm(batchCount: batchCount, m: c.m, n: c.n, k: c.k, a: a, b: weight, strideB: 0, c: &result)
        for item in 0..<batchCount {
            let expected = Self.naive(c, a: Array(a[(item * c.m * c.k)...].prefix(c.m * c.k)), b: weight,
                                      cInitial: [Float](repeating: 0, count: c.m * c.n), alpha: 1, beta: 0)
            #expect(maxAbsDifference(Array(result[(item * c.m * c.n)...].prefix(c.m * c.n)), expected) <= 1e-5)
        }
    }
}
