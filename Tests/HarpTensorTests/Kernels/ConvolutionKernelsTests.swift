import Testing
@testable import HarpTensor

/// Conv1d kernels against the naive loops in `NaiveConvolution` and against finite differences.
struct ConvolutionKernelsTests {
    static let sweep: [Conv1dGeometry] = {
        var cases: [Conv1dGeometry] = []
        for batchCount in [1, 2] {
            for kernelSize in [1, 3, 7] {
                for stride in [1, 2, 3] {
                    for (left, right) in [(0, 0), (1, 2), (3, 0)] {
                        for dilation in [1, 2] {
                            for groupCount in [1, 2] {
                                cases.append(Conv1dGeometry(
                                    batchCount: batchCount, inputChannelCount: 4, outputChannelCount: 6, inputLength: 19,
                                    kernelSize: kernelSize, stride: stride, paddingLeft: left, paddingRight: right,
                                    dilation: dilation, groupCount: groupCount))
                            }
                        }
                    }
                }
            }
        }
        return cases
    }()

    /// Shapes that exercise the other code paths: pointwise, depthwise, frame tiling (the
    /// column buffer exceeds its budget), and (batch, group) products spread over threads.
    static let pathCases: [Conv1dGeometry] = [
        Conv1dGeometry(batchCount: 2, inputChannelCount: 5, outputChannelCount: 3, inputLength: 11, kernelSize: 1),
        Conv1dGeometry(batchCount: 2, inputChannelCount: 6, outputChannelCount: 6, inputLength: 13, kernelSize: 3,
                       paddingLeft: 2, paddingRight: 0, groupCount: 6),
        Conv1dGeometry(batchCount: 1, inputChannelCount: 512, outputChannelCount: 2, inputLength: 700, kernelSize: 7,
                       paddingLeft: 3, paddingRight: 3),
        Conv1dGeometry(batchCount: 4, inputChannelCount: 16, outputChannelCount: 32, inputLength: 130, kernelSize: 4,
                       stride: 2, paddingLeft: 1, paddingRight: 1),
    ]

    @Test(arguments: sweep + pathCases)
    func conv1dForwardMatchesNaiveLoop(_ g: Conv1dGeometry) {
        var random = KernelTestRandom(seed: 1)
        let x = random.floats(g.inputElementCount), w = random.floats(g.weightElementCount)
        let bias = random.floats(g.outputChannelCount)
        let expected = NaiveConvolution.conv1d(g, x: x.doubles, w: w.doubles, bias: bias.doubles)
        let actual = ConvolutionRunner.forward(g, x: x, w: w, bias: bias)
        #expect(maxAbsDifference(actual, expected) <= 1e-4 * max(1, maxAbs(expected)))
        let unbiased = ConvolutionRunner.forward(g, x: x, w: w, bias: nil)
        let expectedUnbiased = NaiveConvolution.conv1d(g, x: x.doubles, w: w.doubles, bias: nil)
        #expect(maxAbsDifference(unbiased, expectedUnbiased) <= 1e-4 * max(1, maxAbs(expectedUnbiased)))
    }

    @Test(arguments: sweep + pathCases)
    func conv1dBackwardInputMatchesNaiveLoop(_ g: Conv1dGeometry) {
        var random = KernelTestRandom(seed: 2)
        let dy = random.floats(g.outputElementCount), w = random.floats(g.weightElementCount)
        let expected = NaiveConvolution.conv1dBackwardInput(g, dy: dy.doubles, w: w.doubles)
        let actual = ConvolutionRunner.backwardInput(g, dy: dy, w: w)
        #expect(maxAbsDifference(actual, expected) <= 1e-4 * max(1, maxAbs(expected)))
    }

    @Test(arguments: sweep + pathCases)
    func conv1dBackwardWeightMatchesNaiveLoop(_ g: Conv1dGeometry) {
        var random = KernelTestRandom(seed: 3)
        let x = random.floats(g.inputElementCount), dy = random.floats(g.outputElementCount)
        let expected = NaiveConvolution.conv1dBackwardWeight(g, x: x.doubles, dy: dy.doubles)
        let actual = ConvolutionRunner.backwardWeight(g, x: x, dy: dy)
        #expect(maxAbsDifference(actual.weight, expected.weight) <= 1e-4 * max(1, maxAbs(expected.weight)))
        #expect(maxAbsDifference(actual.bias, expected.bias) <= 1e-4 * max(1, maxAbs(expected.bias)))
    }

    static let gradientCases: [Conv1dGeometry] = [
        Conv1dGeometry(batchCount: 2, inputChannelCount: 4, outputChannelCount: 6, inputLength: 17, kernelSize: 3,
                       stride: 2, paddingLeft: 1, paddingRight: 2, dilation: 2, groupCount: 2),
        Conv1dGeometry(batchCount: 1, inputChannelCount: 3, outputChannelCount: 2, inputLength: 12, kernelSize: 7,
                       stride: 3, paddingLeft: 3, paddingRight: 3),
        Conv1dGeometry(batchCount: 2, inputChannelCount: 3, outputChannelCount: 4, inputLength: 9, kernelSize: 1),
    ]

    /// Loss `L = Σ y · r` for a fixed random `r`; every parameter enters linearly, so central
    /// differences in Double are exact up to rounding and any mismatch is a kernel bug.
    @Test(arguments: gradientCases)
    func conv1dGradientsMatchFiniteDifferences(_ g: Conv1dGeometry) {
        var random = KernelTestRandom(seed: 4)
        let x = random.floats(g.inputElementCount), w = random.floats(g.weightElementCount)
        let bias = random.floats(g.outputChannelCount), r = random.floats(g.outputElementCount)
        let loss = { (x: [Double], w: [Double], bias: [Double]) -> Double in
            zip(NaiveConvolution.conv1d(g, x: x, w: w, bias: bias), r).reduce(0) { $0 + $1.0 * Double($1.1) }
        }
        let dx = ConvolutionRunner.backwardInput(g, dy: r, w: w)
        let (dw, db) = ConvolutionRunner.backwardWeight(g, x: x, dy: r)
        let checker = FiniteDifferences(stepSize: 1e-3, tolerance: 1e-4)
        checker.check(dx, at: x.doubles, points: 8, random: &random) { loss($0, w.doubles, bias.doubles) }
        checker.check(dw, at: w.doubles, points: 8, random: &random) { loss(x.doubles, $0, bias.doubles) }
        checker.check(db, at: bias.doubles, points: 2, random: &random) { loss(x.doubles, w.doubles, $0) }
    }

    @Test func conv1dOutputLengthFollowsPyTorchFormula() {
        // ref: torch.nn.Conv1d docs, L_out = ⌊(L + 2p − d(k−1) − 1)/s⌋ + 1; here 2p = left + right.
        let g = Conv1dGeometry(batchCount: 1, inputChannelCount: 1, outputChannelCount: 1, inputLength: 100,
                               kernelSize: 5, stride: 3, paddingLeft: 2, paddingRight: 2, dilation: 2)
        #expect(g.outputLength == (100 + 4 - 2 * 4 - 1) / 3 + 1)
    }
}

/// Checks analytic gradients against central differences of a Double function at a few indices.
struct FiniteDifferences {
    let stepSize: Double
    let tolerance: Double

    func check(
        _ gradient: [Float], at point: [Double], points: Int, random: inout KernelTestRandom,
        sourceLocation: SourceLocation = #_sourceLocation, _ function: ([Double]) -> Double
    ) {
        for _ in 0..<min(points, point.count) {
            let index = Int(random.next() % UInt64(point.count))
            var plus = point, minus = point
            plus[index] += stepSize
            minus[index] -= stepSize
            let numeric = (function(plus) - function(minus)) / (2 * stepSize)
            #expect(abs(Double(gradient[index]) - numeric) <= tolerance * max(1, abs(numeric)),
                    "index \(index): analytic \(gradient[index]) vs numeric \(numeric)", sourceLocation: sourceLocation)
        }
    }
}

/// Calls the pointer-based kernels on arrays.
enum ConvolutionRunner {
    static func forward(_ g: Conv1dGeometry, x: [Float], w: [Float], bias: [Float]?) -> [Float] {
        var y = [Float](repeating: .nan, count: g.outputElementCount)
        withOptionalPointer(bias) { biasPointer in
            ConvolutionKernels.conv1dForward(g, input: x, weight: w, bias: biasPointer, output: &y)
        }
        return y
    }

    static func backwardInput(_ g: Conv1dGeometry, dy: [Float], w: [Float]) -> [Float] {
        var dx = [Float](repeating: .nan, count: g.inputElementCount)
        ConvolutionKernels.conv1dBackwardInput(g, outputGradient: dy, weight: w, inputGradient: &dx)
        return dx
    }

    static func backwardWeight(_ g: Conv1dGeometry, x: [Float], dy: [Float]) -> (weight: [Float], bias: [Float]) {
        var dw = [Float](repeating: .nan, count: g.weightElementCount)
        var db = [Float](repeating: .nan, count: g.outputChannelCount)
        dw.withUnsafeMutableBufferPointer { dwBuffer in
            ConvolutionKernels.conv1dBackwardWeight(g, input: x, outputGradient: dy,
                                                    weightGradient: dwBuffer.baseAddress!, biasGradient: &db)
        }
        return (dw, db)
    }

    static func withOptionalPointer<R>(_ values: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let values else { return body(nil) }
        return values.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
