import HarpTensor
import HarpTestSupport
import Testing

/// Every op against PyTorch over a sweep of shapes (broadcasting, scalars, size-1 and empty axes):
/// forward values, and gradients of Σ cotangent ⊙ output against PyTorch's autograd.
@Suite struct OpFixtureTests {
    @Test func everyFixtureOpHasAHarpExpression() {
        let missing = Set(OpCatalog.caseNames.map(OpCatalog.opName)).subtracting(OpCatalog.ops.keys)
        #expect(missing.isEmpty, "no Harp expression for \(missing.sorted())")
    }

    @Test(arguments: OpCatalog.caseNames)
    func forwardMatchesPyTorch(caseName: String) throws {
        let op = try #require(OpCatalog.ops[OpCatalog.opName(caseName)])
        let expected = try OpCatalog.fixtures.require("\(caseName)/output")
        expectClose(op(OpCatalog.inputs(caseName)), expected, relative: 1e-5, absolute: 1e-5, caseName)
    }

    @Test(arguments: OpCatalog.caseNames.filter { OpCatalog.fixtures.tensor("\($0)/cotangent") != nil })
    func gradientMatchesPyTorchAutograd(caseName: String) throws {
        let op = try #require(OpCatalog.ops[OpCatalog.opName(caseName)])
        let frozen = OpCatalog.frozenInputs[OpCatalog.opName(caseName)] ?? []
        let inputs = OpCatalog.inputs(caseName).enumerated().map { index, tensor in
            Tensor(shape: tensor.shape, values: tensor.scalars, requiresGradient: !frozen.contains(index))
        }
        op(inputs).backward(seed: try OpCatalog.fixtures.require("\(caseName)/cotangent"))
        for (index, input) in inputs.enumerated() where !frozen.contains(index) {
            let expected = try OpCatalog.fixtures.require("\(caseName)/grad\(index)")
            let actual = input.grad ?? Tensor.zeros(input.shape)
            expectClose(actual, expected, relative: 1e-4, absolute: 1e-5, "\(caseName) grad\(index)")
        }
    }

    @Test(arguments: OpCatalog.caseNames.filter { name in
        OpCatalog.fixtures.tensor("\(name)/cotangent") != nil && OpCatalog.inputs(name).allSatisfy { $0.count > 0 }
    })
    func gradientMatchesFiniteDifferences(caseName: String) throws {
        let op = try #require(OpCatalog.ops[OpCatalog.opName(caseName)])
        let inputs = OpCatalog.inputs(caseName)
        let frozen = OpCatalog.frozenInputs[OpCatalog.opName(caseName)] ?? []
        GradientChecker.check(inputs, checking: Set(inputs.indices).subtracting(frozen), caseName, op)
    }
}
