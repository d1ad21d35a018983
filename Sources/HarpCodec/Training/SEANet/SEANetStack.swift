import HarpNN
import HarpTensor

/// A trainable SEANet encoder or decoder: its layers in the order and with the indices of
/// `transformers`' `EncodecEncoder`/`EncodecDecoder` (ELUs included), built from an
/// `EncodecConfiguration` exactly as `EncodecLayerReader` reads a published one.
final class SEANetStack: Module {
    let layers: [any SEANetLayer]

    private init(layers: [any SEANetLayer]) {
        self.layers = layers
        super.init()
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        layers.reduce(input) { x, layer in layer(x) }
    }

    /// First conv, per ratio (reversed) residual blocks, ELU and a strided conv doubling the
    /// channels, then the LSTM, ELU and the last conv to `hidden_size`.
    static func encoder(_ c: EncodecConfiguration, generator: inout RandomGenerator) -> SEANetStack {
        var builder = Builder(configuration: c)
        var layers: [any SEANetLayer] = [builder.convolution(c.audioChannels, c.numFilters, kernel: c.kernelSize, &generator)]
        var channels = c.numFilters
        for ratio in c.upsamplingRatios.reversed() {
            layers += builder.residualBlocks(channels: channels, &generator)
            layers.append(SEANetActivation())
            layers.append(builder.convolution(channels, 2 * channels, kernel: 2 * ratio, stride: ratio, &generator))
            channels *= 2
        }
        layers.append(SEANetLSTM(channels: channels, layerCount: c.numLSTMLayers, generator: &generator))
        layers.append(SEANetActivation())
        layers.append(builder.convolution(channels, c.hiddenSize, kernel: c.lastKernelSize, &generator))
        return SEANetStack(layers: layers)
    }

    /// First conv from `hidden_size`, the LSTM, per ratio ELU, a transposed conv halving the
    /// channels and residual blocks, then ELU and the last conv to audio.
    static func decoder(_ c: EncodecConfiguration, generator: inout RandomGenerator) -> SEANetStack {
        var builder = Builder(configuration: c)
        var channels = c.numFilters << c.upsamplingRatios.count
        var layers: [any SEANetLayer] = [builder.convolution(c.hiddenSize, channels, kernel: c.kernelSize, &generator)]
        layers.append(SEANetLSTM(channels: channels, layerCount: c.numLSTMLayers, generator: &generator))
        for ratio in c.upsamplingRatios {
            layers.append(SEANetActivation())
            layers.append(SEANetTransposedConvolution(
                inputChannels: channels, outputChannels: channels / 2, kernelSize: 2 * ratio, stride: ratio,
                causal: c.useCausalConv, trimRightRatio: c.trimRightRatio, generator: &generator))
            channels /= 2
            layers += builder.residualBlocks(channels: channels, &generator)
        }
        layers.append(SEANetActivation())
        layers.append(builder.convolution(c.numFilters, c.audioChannels, kernel: c.lastKernelSize, &generator))
        return SEANetStack(layers: layers)
    }

    /// Builds layers with the configuration's causality, padding and residual settings.
    private struct Builder {
        let configuration: EncodecConfiguration
        var padMode: PaddingMode { configuration.padMode == "reflect" ? .reflect : .zeros }

        func convolution(_ inputs: Int, _ outputs: Int, kernel: Int, stride: Int = 1,
                         _ generator: inout RandomGenerator) -> SEANetConvolution {
            SEANetConvolution(inputChannels: inputs, outputChannels: outputs, kernelSize: kernel, stride: stride,
                              causal: configuration.useCausalConv, padMode: padMode, generator: &generator)
        }

        func residualBlocks(channels: Int, _ generator: inout RandomGenerator) -> [any SEANetLayer] {
            var dilation = 1
            var blocks: [any SEANetLayer] = []
            for _ in 0..<configuration.numResidualLayers {
                blocks.append(SEANetResidualBlock(
                    channels: channels, kernelSize: configuration.residualKernelSize, dilation: dilation,
                    compress: configuration.compress, usesConvolutionShortcut: configuration.useConvShortcut,
                    causal: configuration.useCausalConv, padMode: padMode, generator: &generator))
                dilation *= configuration.dilationGrowthRate
            }
            return blocks
        }
    }
}
