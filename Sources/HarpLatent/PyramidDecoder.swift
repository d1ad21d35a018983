import HarpNN
import HarpTensor

/// The latent decoder (the reference's `Decoder`, key prefix `decoder.`): latents
/// `[B, bottleneckChannels, T]` → the multi-scale maps that condition every level of the
/// consistency UNet, finest first (`pyramid[0]` is `[B, base, bins, T·downscaling]`).
///
/// 1×1 conv → 1-D bottleneck blocks → 1×1 conv to `C·F` channels → unfolded to `[B, C, F, T]`
/// (channel `f·C + c` becomes row `f` of channel `c`: `torch.chunk` + `cat` along frequency, not
/// the encoder's fold) → 2-D residual blocks per level, upsampling between levels.
final class PyramidDecoder: Module {
    @Keyed("conv_inp") var inputConvolution: Conv1d
    @Keyed("bottleneck_layers") var bottleneckLayers: [ResidualBlock]
    @Keyed("conv_out_bottleneck") var unfoldConvolution: Conv1d
    @Keyed("up_layers") var upLayers: [any SpectrogramLayer]

    let configuration: LatentConfiguration

    init(configuration c: LatentConfiguration, generator: inout RandomGenerator) {
        configuration = c
        super.init()
        var channels = c.baseChannels * c.multipliers.last!
        let width = c.bottleneckBaseChannels
        inputConvolution = sameConv1d(c.bottleneckChannels, width, kernel: 1, generator: &generator)
        bottleneckLayers = (0..<c.bottleneckLayerCount).map { _ in
            ResidualBlock(input: width, output: width, conditionChannels: c.conditionChannels, attention: false,
                          heads: c.heads, twoDimensional: false, generator: &generator)
        }
        unfoldConvolution = sameConv1d(width, channels * c.bottomFrequencyCount, kernel: 1, generator: &generator)
        let multipliers = Array(c.multipliers.reversed().dropFirst()) + [c.multipliers.last!]
        let upsampling = Array(c.frequencyDownsampling.reversed())
        let levels = c.encoderLayers.count
        var up: [any SpectrogramLayer] = []
        for (level, count) in c.encoderLayers.reversed().enumerated() {
            for _ in 0..<count {
                up.append(ResidualBlock(input: channels, output: channels, conditionChannels: nil,
                                        attention: c.encoderAttention.reversed()[level] == 1, heads: c.heads,
                                        twoDimensional: true, generator: &generator))
            }
            if level < levels - 1 {
                let output = c.baseChannels * multipliers[level]
                up.append(ResamplingConvolution(upsampling[level] == 1 ? .upFrequency : .up, input: channels,
                                                output: output, normalize: false, generator: &generator))
                channels = output
            }
        }
        upLayers = up
    }

    /// The conditioning maps, finest level first.
    func callAsFunction(_ latents: Tensor) -> [Tensor] {
        var x = inputConvolution(latents)
        for block in bottleneckLayers { x = block(x, embedding: nil) }
        x = unfoldConvolution(x)
        let (batch, frames, rows) = (x.shape[0], x.shape[2], configuration.bottomFrequencyCount)
        x = x.reshaped([batch, rows, x.shape[1] / rows, frames]).permuted(0, 2, 1, 3)
        var pyramid: [Tensor] = []
        var index = 0
        let levels = configuration.encoderLayers.count
        for (level, count) in configuration.encoderLayers.reversed().enumerated() {
            for _ in 0..<count {
                x = upLayers[index](x, embedding: nil)
                index += 1
            }
            pyramid.append(x)
            if level < levels - 1 {
                x = upLayers[index](x, embedding: nil)
                index += 1
            }
        }
        return pyramid.reversed()
    }
}
