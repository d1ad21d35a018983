import Foundation
import HarpNN
import HarpTensor

/// The consistency model (the reference's `UNet`, the root of the state dict): it holds the
/// encoder and the pyramid decoder, and denoises a spectrogram at noise level σ conditioned on
/// the pyramid:
///
///     F = UNet(c_in·x | pyramid, embed(log σ / 4));   output = c_skip·x + c_out·F
///
/// At each level the pyramid map enters through a 1×1 conv as `(x + d)/√2` on the way down and
/// `(x + skip + d)/√3` on the way up; per-bin gains `1 + scale_inp`, `1 + scale_out` (from the
/// noise embedding) scale the first and last feature maps.
final class ConsistencyUNet: Module {
    @Keyed("encoder") var encoder: LatentEncoder
    @Keyed("decoder") var decoder: PyramidDecoder
    @Keyed("emb_proj") var embeddingProjection: NoiseLevelMLP
    @Keyed("scale_inp") var inputScale: NoiseLevelMLP
    @Keyed("scale_out") var outputScale: NoiseLevelMLP
    @Keyed("conv_inp") var inputConvolution: Conv2d
    @Keyed("down_layers") var downLayers: [any SpectrogramLayer]
    @Keyed("up_layers") var upLayers: [any SpectrogramLayer]
    @Keyed("conv_decoded") var pyramidConvolution: Conv2d
    @Keyed("norm_out") var outputNorm: GroupNorm
    @Keyed("conv_out") var outputConvolution: Conv2d

    let configuration: LatentConfiguration

    init(configuration c: LatentConfiguration, generator: inout RandomGenerator) {
        configuration = c
        super.init()
        encoder = LatentEncoder(configuration: c, generator: &generator)
        decoder = PyramidDecoder(configuration: c, generator: &generator)
        let cond = c.conditionChannels
        embeddingProjection = NoiseLevelMLP(width: cond, outputCount: nil, generator: &generator)
        inputScale = NoiseLevelMLP(width: cond, outputCount: c.binCount, generator: &generator)
        outputScale = NoiseLevelMLP(width: cond, outputCount: c.binCount, generator: &generator)
        var channels = c.baseChannels * c.multipliers[0]
        inputConvolution = sameConv2d(c.dataChannels, channels, kernel: (3, 3), generator: &generator)
        var down: [any SpectrogramLayer] = []
        for (level, count) in c.layers.enumerated() {
            channels = c.baseChannels * c.multipliers[level]
            for _ in 0..<count {
                down.append(sameConv2d(channels, channels, kernel: (1, 1), generator: &generator))
                down.append(ResidualBlock(input: channels, output: channels, conditionChannels: cond,
                                          attention: c.attention[level] == 1, heads: c.heads, twoDimensional: true,
                                          generator: &generator))
            }
            if level < c.layers.count - 1 {
                let kind: ResamplingConvolution.Kind = c.frequencyDownsampling[level] == 1 ? .downFrequency : .down
                down.append(ResamplingConvolution(kind, input: channels, output: c.baseChannels * c.multipliers[level + 1],
                                                  normalize: false, generator: &generator))
            }
        }
        downLayers = down
        let multipliers = Array(c.multipliers.reversed().dropFirst()) + [c.multipliers.last!]
        let upsampling = Array(c.frequencyDownsampling.reversed())
        var up: [any SpectrogramLayer] = []
        for (level, count) in c.layers.reversed().enumerated() {
            for _ in 0..<count {
                up.append(sameConv2d(channels, channels, kernel: (1, 1), generator: &generator))
                up.append(ResidualBlock(input: channels, output: channels, conditionChannels: cond,
                                        attention: c.attention.reversed()[level] == 1, heads: c.heads,
                                        twoDimensional: true, generator: &generator))
            }
            if level < c.layers.count - 1 {
                let output = c.baseChannels * multipliers[level]
                up.append(ResamplingConvolution(upsampling[level] == 1 ? .upFrequency : .up, input: channels,
                                                output: output, normalize: false, generator: &generator))
                channels = output
            }
        }
        upLayers = up
        pyramidConvolution = sameConv2d(channels, channels, kernel: (1, 1), generator: &generator)
        outputNorm = referenceGroupNorm(channels)
        outputConvolution = sameConv2d(channels, c.dataChannels, kernel: (3, 3), generator: &generator)
    }

    /// The denoised spectrogram for `noisy` `[B, 2, bins, frames]` at noise level `sigma`, given
    /// the decoder's pyramid for the latents.
    func callAsFunction(_ noisy: Tensor, sigma: Float, pyramid: [Tensor]) -> Tensor {
        callAsFunction(noisy, sigmas: [Float](repeating: sigma, count: noisy.shape[0]), pyramid: pyramid)
    }

    /// The same with a noise level per batch item (`sigmas.count == B`), as consistency training
    /// draws them; differentiable in the weights, the pyramid and `noisy`.
    func callAsFunction(_ noisy: Tensor, sigmas: [Float], pyramid: [Tensor]) -> Tensor {
        let batch = noisy.shape[0]
        precondition(sigmas.count == batch, "ConsistencyUNet: one σ per batch item")
        let all = sigmas.map { ConsistencyCoefficients(sigma: $0, configuration: configuration) }
        func perItem(_ values: [Float]) -> Tensor { Tensor(shape: [batch, 1, 1, 1], values: values) }
        let coefficients = (input: perItem(all.map(\.input)), skip: perItem(all.map(\.skip)),
                            output: perItem(all.map(\.output)))
        let embedding = NoiseEmbedding.embed(logSigmas: sigmas.map { Foundation.log($0) / 4 },
                                             width: configuration.conditionChannels)
        let time = embeddingProjection(embedding)
        let binShape = [batch, 1, configuration.binCount, 1]
        let inputGain = inputScale(embedding).reshaped(binShape) + 1
        let outputGain = outputScale(embedding).reshaped(binShape) + 1

        var x = inputConvolution(noisy * coefficients.input)
        if configuration.frequencyScaling { x = x * inputGain }
        var skips: [Tensor] = []
        var index = 0
        let levels = configuration.layers.count
        for (level, count) in configuration.layers.enumerated() {
            for _ in 0..<count {
                let d = downLayers[index](pyramid[level], embedding: nil)
                x = downLayers[index + 1]((x + d) * Float(1 / 2.0.squareRoot()), embedding: time)
                skips.append(x)
                index += 2
            }
            if level < levels - 1 {
                x = downLayers[index](x, embedding: nil)
                index += 1
            }
        }
        index = 0
        for (level, count) in configuration.layers.reversed().enumerated() {
            for _ in 0..<count {
                let d = upLayers[index](pyramid[levels - 1 - level], embedding: nil)
                x = upLayers[index + 1]((x + skips.removeLast() + d) * Float(1 / 3.0.squareRoot()), embedding: time)
                index += 2
            }
            if level < levels - 1 {
                x = upLayers[index](x, embedding: nil)
                index += 1
            }
        }
        x = (x + pyramidConvolution(pyramid[0])) * Float(1 / 2.0.squareRoot())
        x = silu(outputNorm(x))
        if configuration.frequencyScaling { x = x * outputGain }
        x = outputConvolution(x)
        return noisy * coefficients.skip + x * coefficients.output
    }

}
