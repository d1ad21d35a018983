import Foundation
import HarpTensor

/// conv1d and transposed conv1d, forward + backward (input, weight and bias gradients) from a
/// fixed upstream gradient, at the shapes of a convolutional audio codec.
enum ConvolutionCases {
    static var all: [EngineBenchmarkCase] {
        [
            convolution(name: "conv1d [4,64,16384] k7 64→64 fwd+bwd", input: [4, 64, 16384],
                        outputChannels: 64, kernelSize: 7, stride: 1, padding: 3),
            convolution(name: "conv1d [1,512,2048] k3 512→512 fwd+bwd", input: [1, 512, 2048],
                        outputChannels: 512, kernelSize: 3, stride: 1, padding: 1),
            convolution(name: "conv1d [4,64,16384] k8 s4 64→128 fwd+bwd", input: [4, 64, 16384],
                        outputChannels: 128, kernelSize: 8, stride: 4, padding: 2),
            convolution(name: "convT1d [4,128,4096] k8 s4 128→64 fwd+bwd", input: [4, 128, 4096],
                        outputChannels: 64, kernelSize: 8, stride: 4, padding: 2, transposed: true),
        ]
    }

    /// A case over `conv1d`, or `convTranspose1d` when `transposed` (whose weight is laid out
    /// [input channels, output channels, kernel] as in PyTorch).
    static func convolution(name: String, input shape: [Int], outputChannels: Int, kernelSize: Int,
                            stride: Int, padding: Int, transposed: Bool = false) -> EngineBenchmarkCase {
        let inputChannels = shape[1]
        let weightShape = transposed ? [inputChannels, outputChannels, kernelSize]
                                     : [outputChannels, inputChannels, kernelSize]
        return EngineBenchmarkCase(
            name: name, family: "conv1d",
            shapes: "input \(shape), weight \(weightShape), stride \(stride), padding \(padding)"
        ) {
            var generator = RandomGenerator(seed: transposed ? 3 : 2)
            let x = Tensor.normal(shape, generator: &generator, requiresGradient: true)
            let weight = Tensor.normal(weightShape,
                                       standardDeviation: 1 / Float(inputChannels * kernelSize).squareRoot(),
                                       generator: &generator, requiresGradient: true)
            let bias = Tensor.zeros([outputChannels], requiresGradient: true)
            let forward = transposed
                ? { convTranspose1d(x, weight: weight, bias: bias, stride: stride, padding: padding) }
                : { conv1d(x, weight: weight, bias: bias, stride: stride, padding: padding) }
            let upstream = Tensor.normal(withoutGradients(forward).shape, generator: &generator)
            return {
                [x, weight, bias].forEach { $0.zeroGradient() }
                forward().backward(seed: upstream)
            }
        }
    }
}
