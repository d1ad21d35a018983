import HarpTestSupport
import Testing
@testable import HarpTensor

/// `conv1d` and `convTranspose1d` against naive Double loops written from the definitions, with
/// gradients (input, weight, bias) checked by central differences of those loops (exact to ~1e-9,
/// so the tolerance only covers Float32 rounding in the op and its pullbacks).
struct ConvolutionOpTests {
    /// stride, padding, dilation, groups (and output padding for the transposed op).
    struct Case: CustomTestStringConvertible, Sendable {
        var stride = 1, padding = 0, dilation = 1, groups = 1, outputPadding = 0, kernelSize = 3
        var inputChannels = 2, outputChannels = 4, length = 7, batch = 2, bias = true
        var testDescription: String {
            "s\(stride) p\(padding) d\(dilation) g\(groups) op\(outputPadding) k\(kernelSize) bias \(bias)"
        }
    }

    static let cases: [Case] = [
        Case(),
        Case(stride: 2, padding: 1),
        Case(padding: 2, dilation: 2),
        Case(stride: 3, padding: 1, dilation: 2, outputPadding: 2),
        Case(groups: 2, bias: false),
        Case(stride: 2, padding: 1, groups: 2, outputPadding: 1, inputChannels: 4, outputChannels: 6),
        Case(kernelSize: 1, bias: true),
        Case(stride: 2, kernelSize: 1, length: 6),
        Case(dilation: 3, groups: 4, outputPadding: 1, kernelSize: 2, inputChannels: 4, outputChannels: 4, length: 9),
    ]

    /// The naive cross-correlation: y[b, o, t] = bias[o] + Σ_c Σ_j w[o, c, j] · x[b, g·cpg + c, t·s − p + j·d].
    static func referenceConv1d(_ x: [Double], _ w: [Double], _ bias: [Double]?, _ c: Case,
                                inputChannels ci: Int, outputChannels co: Int) -> [Double] {
        let k = c.kernelSize, n = c.length
        let outLength = (n + 2 * c.padding - c.dilation * (k - 1) - 1) / c.stride + 1
        let cpg = ci / c.groups, opg = co / c.groups
        var y = [Double](repeating: 0, count: c.batch * co * outLength)
        for b in 0..<c.batch {
            for o in 0..<co {
                let group = o / opg
                for t in 0..<outLength {
                    var sum = bias?[o] ?? 0
                    for ch in 0..<cpg {
                        for j in 0..<k {
                            let position = t * c.stride - c.padding + j * c.dilation
                            guard position >= 0 && position < n else { continue }
                            sum += w[(o * cpg + ch) * k + j] * x[(b * ci + group * cpg + ch) * n + position]
                        }
                    }
                    y[(b * co + o) * outLength + t] = sum
                }
            }
        }
        return y
    }

    /// The naive transposed convolution: scatter x[b, c, t]·w[c, o, j] to t·s − p + j·d.
    static func referenceConvTranspose1d(_ x: [Double], _ w: [Double], _ bias: [Double]?, _ c: Case) -> [Double] {
        let k = c.kernelSize, n = c.length, ci = c.inputChannels, co = c.outputChannels
        let outLength = (n - 1) * c.stride - 2 * c.padding + c.dilation * (k - 1) + c.outputPadding + 1
        let cpg = ci / c.groups, opg = co / c.groups
        var y = [Double](repeating: 0, count: c.batch * co * outLength)
        for b in 0..<c.batch {
            for o in 0..<co { for t in 0..<outLength { y[(b * co + o) * outLength + t] = bias?[o] ?? 0 } }
            for ch in 0..<ci {
                let group = ch / cpg
                for t in 0..<n {
                    for oo in 0..<opg {
                        for j in 0..<k {
                            let position = t * c.stride - c.padding + j * c.dilation
                            guard position >= 0 && position < outLength else { continue }
                            let o = group * opg + oo
                            y[(b * co + o) * outLength + position] += x[(b * ci + ch) * n + t] * w[(ch * opg + oo) * k + j]
                        }
                    }
                }
            }
        }
        return y
    }

    static func inputs(_ c: Case, weightShape: [Int], biasCount: Int, seed: UInt64) -> [Tensor] {
        var generator = RandomGenerator(seed: seed)
        var tensors = [Tensor.uniform([c.batch, c.inputChannels, c.length], low: -1, high: 1, generator: &generator),
                       Tensor.uniform(weightShape, low: -1, high: 1, generator: &generator)]
        if c.bias { tensors.append(Tensor.uniform([biasCount], low: -1, high: 1, generator: &generator)) }
        return tensors
    }

    @Test(arguments: cases)
    func conv1dGradientMatchesFiniteDifferences(_ c: Case) {
        let inputs = Self.inputs(c, weightShape: [c.outputChannels, c.inputChannels / c.groups, c.kernelSize],
                                 biasCount: c.outputChannels, seed: 11)
        GradientChecker.checkAgainstReference(inputs, "conv1d \(c.testDescription)", reference: { values in
            Self.referenceConv1d(values[0], values[1], c.bias ? values[2] : nil, c,
                                 inputChannels: c.inputChannels, outputChannels: c.outputChannels)
        }) { t in
            conv1d(t[0], weight: t[1], bias: c.bias ? t[2] : nil, stride: c.stride, padding: c.padding,
                   dilation: c.dilation, groups: c.groups)
        }
    }

    @Test(arguments: cases)
    func convTranspose1dGradientMatchesFiniteDifferences(_ c: Case) {
        let inputs = Self.inputs(c, weightShape: [c.inputChannels, c.outputChannels / c.groups, c.kernelSize],
                                 biasCount: c.outputChannels, seed: 12)
        GradientChecker.checkAgainstReference(inputs, "convTranspose1d \(c.testDescription)", reference: { values in
            Self.referenceConvTranspose1d(values[0], values[1], c.bias ? values[2] : nil, c)
        }) { t in
            convTranspose1d(t[0], weight: t[1], bias: c.bias ? t[2] : nil, stride: c.stride, padding: c.padding,
                            outputPadding: c.outputPadding, dilation: c.dilation, groups: c.groups)
        }
    }

    @Test func conv1dRecordsOnlyTheGradientsThatAreNeeded() {
        var generator = RandomGenerator(seed: 3)
        let x = Tensor.uniform([1, 2, 5], generator: &generator)
        let w = Tensor.uniform([3, 2, 2], generator: &generator, requiresGradient: true)
        let b = Tensor.uniform([3], generator: &generator)
        conv1d(x, weight: w, bias: b).sum().backward()
        #expect(w.grad?.shape == [3, 2, 2])
        #expect(x.grad == nil && b.grad == nil)
        let y = withoutGradients { conv1d(x, weight: w) }
        #expect(!y.requiresGradient)
    }

    @Test func convTranspose1dUndoesTheShapeOfAStridedConv1d() {
        // PyTorch's rule: conv_transpose1d with the same stride/padding and output_padding
        // = (L + 2p − k) mod s maps the conv's output length back to L.
        let x = Tensor.zeros([1, 2, 10])
        let w = Tensor.zeros([2, 2, 4])
        let y = conv1d(x, weight: w, stride: 3, padding: 1)
        let back = convTranspose1d(y, weight: w, stride: 3, padding: 1, outputPadding: (10 + 2 - 4) % 3)
        #expect(back.shape == [1, 2, 10])
    }
}
