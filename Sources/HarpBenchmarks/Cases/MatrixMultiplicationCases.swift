import HarpTensor

/// `matmul(a, b)` of square matrices, no gradient recording (raw `cblas_sgemm` beside it comes
/// from `RawLibraryReferences`).
enum MatrixMultiplicationCases {
    static var all: [EngineBenchmarkCase] { [512, 2048].map(square) }

    static func square(_ n: Int) -> EngineBenchmarkCase {
        EngineBenchmarkCase(name: "matmul \(n)²", family: "matmul", shapes: "[\(n), \(n)] × [\(n), \(n)]") {
            var generator = RandomGenerator(seed: 1)
            let a = Tensor.normal([n, n], generator: &generator), b = Tensor.normal([n, n], generator: &generator)
            return { consume(matmul(a, b)) }
        }
    }
}
