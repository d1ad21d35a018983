import HarpTestSupport
import Testing
@testable import HarpTensor

/// `conv2d` against a naive Double loop written from the definition, with gradients (input,
/// weight, bias) checked by central differences of that loop.
struct Convolution2dOpTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var stride = (1, 1), padding = (0, 0), dilation = (1, 1), groups = 1, kernel = (3, 3)
        var inputChannels = 2, outputChannels = 3, height = 5, width = 6, batch = 2, bias = true
        var testDescription: String {
            "s\(stride) p\(padding) d\(dilation) g\(groups) k\(kernel) bias \(bias)"
        }
    }

    static let cases: [Case] = [
        Case(),
        Case(stride: (2, 1), padding: (1, 2), kernel: (3, 5), width: 8),
        Case(padding: (2, 1), dilation: (2, 1), groups: 2, inputChannels: 4, outputChannels: 4),
        Case(stride: (1, 3), kernel: (1, 1), bias: false),
        Case(stride: (4, 1), padding: (2, 0), kernel: (5, 1), height: 9, width: 3),
    ]

    static func reference(_ x: [Double], _ w: [Double], _ bias: [Double]?, _ c: Case) -> [Double] {
        let (kh, kw) = c.kernel
        let oh = (c.height + 2 * c.padding.0 - c.dilation.0 * (kh - 1) - 1) / c.stride.0 + 1
        let ow = (c.width + 2 * c.padding.1 - c.dilation.1 * (kw - 1) - 1) / c.stride.1 + 1
        let cpg = c.inputChannels / c.groups, opg = c.outputChannels / c.groups
        var y = [Double](repeating: 0, count: c.batch * c.outputChannels * oh * ow)
        for b in 0..<c.batch {
            for o in 0..<c.outputChannels {
                let group = o / opg
                for i in 0..<oh {
                    for j in 0..<ow {
                        var sum = bias?[o] ?? 0
                        for ch in 0..<cpg {
                            for p in 0..<kh {
                                for q in 0..<kw {
                                    let row = i * c.stride.0 - c.padding.0 + p * c.dilation.0
                                    let column = j * c.stride.1 - c.padding.1 + q * c.dilation.1
                                    guard row >= 0, row < c.height, column >= 0, column < c.width else { continue }
                                    let input = ((b * c.inputChannels + group * cpg + ch) * c.height + row) * c.width + column
                                    sum += w[((o * cpg + ch) * kh + p) * kw + q] * x[input]
                                }
                            }
                        }
                        y[((b * c.outputChannels + o) * oh + i) * ow + j] = sum
                    }
                }
            }
        }
        return y
    }

    @Test(arguments: cases)
    func conv2dGradientMatchesFiniteDifferences(_ c: Case) {
        var generator = RandomGenerator(seed: 21)
        var inputs = [
            Tensor.uniform([c.batch, c.inputChannels, c.height, c.width], low: -1, high: 1, generator: &generator),
            Tensor.uniform([c.outputChannels, c.inputChannels / c.groups, c.kernel.0, c.kernel.1], low: -1, high: 1,
                           generator: &generator),
        ]
        if c.bias { inputs.append(Tensor.uniform([c.outputChannels], low: -1, high: 1, generator: &generator)) }
        GradientChecker.checkAgainstReference(inputs, "conv2d \(c.testDescription)", reference: { values in
            Self.reference(values[0], values[1], c.bias ? values[2] : nil, c)
        }) { t in
            conv2d(t[0], weight: t[1], bias: c.bias ? t[2] : nil, stride: c.stride, padding: c.padding,
                   dilation: c.dilation, groups: c.groups)
        }
    }
}
