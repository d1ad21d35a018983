import Testing
@testable import HarpTensor

/// Transposed conv1d kernels against the naive definition and finite differences.
struct ConvolutionKernelsTransposedTests {
    static let sweep: [ConvTranspose1dGeometry] = {
        var cases: [ConvTranspose1dGeometry] = []
        for batchCount in [1, 2] {
            for kernelSize in [1, 3, 7] {
                for stride in [1, 2, 3] {
                    for (left, right) in [(0, 0), (1, 1), (2, 0)] {
                        for dilation in [1, 2] {
                            for groupCount in [1, 2] {
                                for outputPadding in Set([0, max(stride, dilation) - 1]) {
                                    let g = ConvTranspose1dGeometry(
                                        batchCount: batchCount, inputChannelCount: 4, outputChannelCount: 6, inputLength: 9,
                                        kernelSize: kernelSize, stride: stride, paddingLeft: left, paddingRight: right,
                                        outputPadding: outputPadding, dilation: dilation, groupCount: groupCount)
                                    cases.append(g)
                                }
                            }
                        }
                    }
                }
            }
        }
        return cases
    }()

    /// Up-sampling shapes as in audio decoders (kernel = 2·stride), plus a wide product spread over threads.
    static let pathCases: [ConvTranspose1dGeometry] = [
        ConvTranspose1dGeometry(batchCount: 2, inputChannelCount: 8, outputChannelCount: 4, inputLength: 10,
                                kernelSize: 8, stride: 4, paddingLeft: 2, paddingRight: 2),
        ConvTranspose1dGeometry(batchCount: 4, inputChannelCount: 32, outputChannelCount: 16, inputLength: 64,
                                kernelSize: 4, stride: 2, paddingLeft: 1, paddingRight: 1, outputPadding: 1),
    ]

    @Test(arguments: sweep + pathCases)
    func convTranspose1dForwardMatchesNaiveLoop(_ g: ConvTranspose1dGeometry) {
        var random = KernelTestRandom(seed: 11)
        let x = random.floats(g.inputElementCount), w = random.floats(g.weightElementCount)
        let bias = random.floats(g.outputChannelCount)
        let expected = NaiveConvolution.convTranspose1d(g, x: x.doubles, w: w.doubles, bias: bias.doubles)
        let actual = TransposedRunner.forward(g, x: x, w: w, bias: bias)
        #expect(maxAbsDifference(actual, expected) <= 1e-4 * max(1, maxAbs(expected)))
    }

    @Test(arguments: sweep + pathCases)
    func convTranspose1dBackwardInputMatchesNaiveLoop(_ g: ConvTranspose1dGeometry) {
        var random = KernelTestRandom(seed: 12)
        let dy = random.floats(g.outputElementCount), w = random.floats(g.weightElementCount)
        let expected = NaiveConvolution.convTranspose1dBackwardInput(g, dy: dy.doubles, w: w.doubles)
        let actual = TransposedRunner.backwardInput(g, dy: dy, w: w)
        #expect(maxAbsDifference(actual, expected) <= 1e-4 * max(1, maxAbs(expected)))
    }

    @Test(arguments: sweep + pathCases)
    func convTranspose1dBackwardWeightMatchesNaiveLoop(_ g: ConvTranspose1dGeometry) {
        var random = KernelTestRandom(seed: 13)
        let x = random.floats(g.inputElementCount), dy = random.floats(g.outputElementCount)
        let expected = NaiveConvolution.convTranspose1dBackwardWeight(g, x: x.doubles, dy: dy.doubles)
        let actual = TransposedRunner.backwardWeight(g, x: x, dy: dy)
        #expect(maxAbsDifference(actual.weight, expected.weight) <= 1e-4 * max(1, maxAbs(expected.weight)))
        #expect(maxAbsDifference(actual.bias, expected.bias) <= 1e-4 * max(1, maxAbs(expected.bias)))
    }

    static let gradientCases: [ConvTranspose1dGeometry] = [
        ConvTranspose1dGeometry(batchCount: 2, inputChannelCount: 4, outputChannelCount: 2, inputLength: 7, kernelSize: 3,
                                stride: 2, paddingLeft: 1, paddingRight: 1, outputPadding: 1, dilation: 2, groupCount: 2),
        ConvTranspose1dGeometry(batchCount: 1, inputChannelCount: 3, outputChannelCount: 5, inputLength: 6, kernelSize: 8,
                                stride: 4, paddingLeft: 2, paddingRight: 2),
    ]

    @Test(arguments: gradientCases)
    func convTranspose1dGradientsMatchFiniteDifferences(_ g: ConvTranspose1dGeometry) {
        var random = KernelTestRandom(seed: 14)
        let x = random.floats(g.inputElementCount), w = random.floats(g.weightElementCount)
        let bias = random.floats(g.outputChannelCount), r = random.floats(g.outputElementCount)
        let loss = { (x: [Double], w: [Double], bias: [Double]) -> Double in
            zip(NaiveConvolution.convTranspose1d(g, x: x, w: w, bias: bias), r).reduce(0) { $0 + $1.0 * Double($1.1) }
        }
        let dx = TransposedRunner.backwardInput(g, dy: r, w: w)
        let (dw, db) = TransposedRunner.backwardWeight(g, x: x, dy: r)
        let checker = FiniteDifferences(stepSize: 1e-3, tolerance: 1e-4)
        checker.check(dx, at: x.doubles, points: 8, random: &random) { loss($0, w.doubles, bias.doubles) }
        checker.check(dw, at: w.doubles, points: 8, random: &random) { loss(x.doubles, $0, bias.doubles) }
        checker.check(db, at: bias.doubles, points: 2, random: &random) { loss(x.doubles, w.doubles, $0) }
    }

    @Test func convTranspose1dOutputLengthFollowsPyTorchFormula() {
        // ref: torch.nn.ConvTranspose1d docs, L_out = (L−1)s − 2p + d(k−1) + output_padding + 1.
        let g = ConvTranspose1dGeometry(batchCount: 1, inputChannelCount: 1, outputChannelCount: 1, inputLength: 10,
                                        kernelSize: 8, stride: 4, paddingLeft: 2, paddingRight: 2, outputPadding: 3)
        #expect(g.outputLength == 9 * 4 - 4 + 7 + 3 + 1)
        #expect(g.convolution.outputLength == g.inputLength)
    }
}

/// Calls the pointer-based transposed kernels on arrays.
enum TransposedRunner {
    static func forward(_ g: ConvTranspose1dGeometry, x: [Float], w: [Float], bias: [Float]?) -> [Float] {
        var y = [Float](repeating: .nan, count: g.outputElementCount)
        ConvolutionRunner.withOptionalPointer(bias) { biasPointer in
            ConvolutionKernels.convTranspose1dForward(g, input: x, weight: w, bias: biasPointer, output: &y)
        }
        return y
    }

    static func backwardInput(_ g: ConvTranspose1dGeometry, dy: [Float], w: [Float]) -> [Float] {
        var dx = [Float](repeating: .nan, count: g.inputElementCount)
        ConvolutionKernels.convTranspose1dBackwardInput(g, outputGradient: dy, weight: w, inputGradient: &dx)
        return dx
    }

    static func backwardWeight(_ g: ConvTranspose1dGeometry, x: [Float], dy: [Float]) -> (weight: [Float], bias: [Float]) {
        var dw = [Float](repeating: .nan, count: g.weightElementCount)
        var db = [Float](repeating: .nan, count: g.outputChannelCount)
        dw.withUnsafeMutableBufferPointer { dwBuffer in
            ConvolutionKernels.convTranspose1dBackwardWeight(g, input: x, outputGradient: dy,
                                                             weightGradient: dwBuffer.baseAddress!, biasGradient: &db)
        }
        return (dw, db)
    }
}
