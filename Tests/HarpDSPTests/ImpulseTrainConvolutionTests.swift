import Testing
import HarpTensor
@testable import HarpDSP

/// The direct impulse-train convolution against the seed's construction done naively in Double:
/// place control values every `stride` samples, convolve linearly, truncate.
struct ImpulseTrainConvolutionTests {
    static func naive(control: [Double], kernel: [Double], channels: Int, stride: Int, length: Int) -> [Double] {
        let frames = control.count / channels, taps = kernel.count / channels
        var out = [Double](repeating: 0, count: channels * length)
        for c in 0..<channels {
            var train = [Double](repeating: 0, count: length)
            for k in 0..<frames where stride * k < length { train[stride * k] = control[c * frames + k] }
            for t in 0..<length {
                for j in 0..<taps where t - j >= 0 { out[c * length + t] += train[t - j] * kernel[c * taps + j] }
            }
        }
        return out
    }

    @Test(arguments: [(stride: 4, length: 40), (stride: 4, length: 23), (stride: 8, length: 64), (stride: 3, length: 5)])
    func matchesNaiveUpsampleThenConvolve(stride: Int, length: Int) {
        var generator = RandomGenerator(seed: 5)
        let control = Tensor.uniform([3, 10], low: -1, high: 1, generator: &generator)
        let kernel = Tensor.uniform([3, 11], low: -1, high: 1, generator: &generator)
        let output = impulseTrainConvolution(control: control, kernel: kernel, stride: stride, outputLength: length)
        let expected = Self.naive(control: control.scalars.map(Double.init), kernel: kernel.scalars.map(Double.init),
                                  channels: 3, stride: stride, length: length)
        #expect(output.shape == [3, length])
        let worst = zip(output.scalars, expected).map { abs(Double($0) - $1) }.max() ?? 0
        #expect(worst < 1e-5, "worst error \(worst)")
    }

    @Test func gradientsMatchFiniteDifferencesOfNaiveReference() {
        var generator = RandomGenerator(seed: 9)
        let control = Tensor.uniform([2, 6], low: -1, high: 1, generator: &generator, requiresGradient: true)
        let kernel = Tensor.uniform([2, 9], low: -1, high: 1, generator: &generator, requiresGradient: true)
        let weights = Tensor.uniform([2, 21], low: -1, high: 1, generator: &generator)
        impulseTrainConvolution(control: control, kernel: kernel, stride: 4, outputLength: 21).backward(seed: weights)
        let w = weights.scalars.map(Double.init)
        var c = control.scalars.map(Double.init), k = kernel.scalars.map(Double.init)
        func objective() -> Double {
            zip(Self.naive(control: c, kernel: k, channels: 2, stride: 4, length: 21), w).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let h = 1e-6
        for i in 0..<c.count {
            let saved = c[i]
            c[i] = saved + h; let plus = objective()
            c[i] = saved - h; let minus = objective()
            c[i] = saved
            #expect(abs(Double(control.grad!.scalars[i]) - (plus - minus) / (2 * h)) < 1e-4, "control \(i)")
        }
        for i in 0..<k.count {
            let saved = k[i]
            k[i] = saved + h; let plus = objective()
            k[i] = saved - h; let minus = objective()
            k[i] = saved
            #expect(abs(Double(kernel.grad!.scalars[i]) - (plus - minus) / (2 * h)) < 1e-4, "kernel \(i)")
        }
    }
}
