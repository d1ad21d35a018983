import HarpNN
import HarpTensor

/// The encoder (the reference's `Encoder`, key prefix `encoder.`): compressed complex spectrogram
/// `[batch, 2, bins, frames]` → latents `[batch, bottleneckChannels, frames / downscalingFactor]`
/// in (−1, 1) (tanh), or the wider pre-bottleneck features.
///
/// conv_inp → per-bin gain → 2-D residual blocks and resolution steps (the first frequency-only)
/// → GroupNorm → fold frequency into channels `[B, C·F, T]` → 1-D bottleneck blocks → GroupNorm,
/// SiLU, 1×1 conv → tanh.
final class LatentEncoder: Module {
    @Keyed("gain") var gain: FrequencyGain
    @Keyed("conv_inp") var inputConvolution: Conv2d
    @Keyed("down_layers") var downLayers: [any SpectrogramLayer]
    @Keyed("prenorm_1d_to_2d") var foldNorm: GroupNorm?
    @Keyed("bottleneck_layers") var bottleneckLayers: [Module]
    @Keyed("norm_out") var outputNorm: GroupNorm
    @Keyed("conv_out") var outputConvolution: Conv1d

    let configuration: LatentConfiguration

    init(configuration c: LatentConfiguration, generator: inout RandomGenerator) {
        configuration = c
        super.init()
        gain = FrequencyGain(binCount: c.binCount)
        var channels = c.baseChannels * c.multipliers[0]
        inputConvolution = Conv2d(inputChannels: c.dataChannels, outputChannels: channels, kernelSize: (3, 3),
                                  padding: (1, 1), generator: &generator)
        var down: [any SpectrogramLayer] = []
        for (level, count) in c.encoderLayers.enumerated() {
            let output = c.baseChannels * c.multipliers[level]
            for _ in 0..<count {
                down.append(ResidualBlock(input: channels, output: output, conditionChannels: nil,
                                          attention: c.encoderAttention[level] == 1, heads: c.heads,
                                          twoDimensional: true, generator: &generator))
                channels = output
            }
            if level < c.encoderLayers.count - 1 {
                let kind: ResamplingConvolution.Kind = c.frequencyDownsampling[level] == 1 ? .downFrequency : .down
                down.append(ResamplingConvolution(kind, input: channels, output: channels,
                                                  normalize: c.preNormalizeDownsamplingEncoder, generator: &generator))
            }
        }
        downLayers = down
        foldNorm = c.preNormalize2dTo1d ? referenceGroupNorm(channels) : nil
        let width = c.bottleneckBaseChannels
        var bottleneck: [Module] = [sameConv1d(channels * c.bottomFrequencyCount, width, kernel: 1, generator: &generator)]
        for _ in 0..<c.bottleneckLayerCount {
            bottleneck.append(ResidualBlock(input: width, output: width, conditionChannels: nil, attention: false,
                                            heads: c.heads, twoDimensional: false, generator: &generator))
        }
        bottleneckLayers = bottleneck
        outputNorm = referenceGroupNorm(width)
        outputConvolution = sameConv1d(width, c.bottleneckChannels, kernel: 1, generator: &generator)
    }

    /// The 2-D trunk folded to `[B, C·F, T]` (the reference's `extract_features=True` output).
    func features(_ spectrogram: Tensor) -> Tensor {
        var x = inputConvolution(spectrogram)
        if configuration.frequencyScaling { x = gain(x) }
        for layer in downLayers { x = layer(x, embedding: nil) }
        if let foldNorm { x = foldNorm(x) }
        return x.reshaped([x.shape[0], x.shape[1] * x.shape[2], x.shape[3]])
    }

    /// Latents in (−1, 1), before the inference rescaling.
    func callAsFunction(_ spectrogram: Tensor) -> Tensor {
        var x = features(spectrogram)
        for layer in bottleneckLayers {
            switch layer {
            case let conv as Conv1d: x = conv(x)
            case let block as ResidualBlock: x = block(x, embedding: nil)
            default: preconditionFailure("LatentEncoder: unexpected bottleneck layer")
            }
        }
        return outputConvolution(silu(outputNorm(x))).tanh()
    }
}

/// A learned gain per frequency bin (the reference's `FreqGain`, key `scale [1, 1, bins, 1]`).
final class FrequencyGain: Module {
    var scale: Parameter

    init(binCount: Int) {
        scale = Tensor.ones([1, 1, binCount, 1], requiresGradient: true)
        super.init()
    }

    func callAsFunction(_ x: Tensor) -> Tensor { x * scale }
}
