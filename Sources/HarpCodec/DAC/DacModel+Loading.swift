import HarpTensor

// Building DAC's layers from a weights file in the `transformers` layout (plain `weight`s; the
// weight-normed namings are accepted and folded too).
// ref: huggingface/transformers `models/dac/modeling_dac.py` (`DacEncoder`, `DacDecoder`,
// `DacEncoderBlock`, `DacDecoderBlock`, `DacResidualUnit`, `DacVectorQuantize`).

/// Reads DAC's layers for one configuration out of a weights file.
struct DacLayerReader {
    let configuration: DacConfiguration
    let weights: CodecWeights

    private static let dilations = [1, 3, 9]

    func encoder() throws(CodecError) -> DacEncoder {
        let c = configuration
        var blocks: [(units: [DacResidualUnit], alpha: Tensor, conv: DacConvolution)] = []
        for (index, stride) in c.downsamplingRatios.enumerated() {
            let prefix = "encoder.block.\(index)"
            let dimension = c.encoderHiddenSize << (index + 1)
            let units = try residualUnits(prefix, channels: dimension / 2)
            let alpha = try snake(prefix + ".snake1", channels: dimension / 2)
            var conv = try convolution(prefix + ".conv1", in: dimension / 2, out: dimension, kernel: 2 * stride)
            conv.stride = stride
            conv.padding = (stride + 1) / 2
            blocks.append((units, alpha, conv))
        }
        let width = c.encoderHiddenSize << c.downsamplingRatios.count
        var first = try convolution("encoder.conv1", in: 1, out: c.encoderHiddenSize, kernel: 7)
        first.padding = 3
        var last = try convolution("encoder.conv2", in: width, out: c.hiddenSize, kernel: 3)
        last.padding = 1
        return DacEncoder(conv1: first, blocks: blocks, alpha: try snake("encoder.snake1", channels: width), conv2: last)
    }

    func decoder() throws(CodecError) -> DacDecoder {
        let c = configuration
        var blocks: [(alpha: Tensor, weight: Tensor, bias: Tensor, stride: Int, units: [DacResidualUnit])] = []
        for (index, stride) in c.upsamplingRatios.enumerated() {
            let prefix = "decoder.block.\(index)"
            let (inputs, outputs) = (c.decoderHiddenSize >> index, c.decoderHiddenSize >> (index + 1))
            blocks.append((try snake(prefix + ".snake1", channels: inputs),
                           try weights.normalizedWeight(prefix + ".conv_t1", shape: [inputs, outputs, 2 * stride]),
                           try weights.tensor(prefix + ".conv_t1.bias", shape: [outputs]),
                           stride,
                           try residualUnits(prefix, channels: outputs)))
        }
        let width = c.decoderHiddenSize >> c.upsamplingRatios.count
        var first = try convolution("decoder.conv1", in: c.hiddenSize, out: c.decoderHiddenSize, kernel: 7)
        first.padding = 3
        var last = try convolution("decoder.conv2", in: width, out: 1, kernel: 7)
        last.padding = 3
        return DacDecoder(conv1: first, blocks: blocks, alpha: try snake("decoder.snake1", channels: width), conv2: last)
    }

    func quantizer() throws(CodecError) -> DacQuantizer {
        let c = configuration
        var stages: [DacQuantizer.Stage] = []
        for index in 0..<c.codebookCount {
            let prefix = "quantizer.quantizers.\(index)"
            stages.append(DacQuantizer.Stage(
                inProjection: try convolution(prefix + ".in_proj", in: c.hiddenSize, out: c.codebookDim, kernel: 1),
                outProjection: try convolution(prefix + ".out_proj", in: c.codebookDim, out: c.hiddenSize, kernel: 1),
                codebook: try weights.tensor(prefix + ".codebook.weight", shape: [c.codebookSize, c.codebookDim])))
        }
        return DacQuantizer(stages: stages)
    }

    // MARK: - Layers

    private func residualUnits(_ prefix: String, channels: Int) throws(CodecError) -> [DacResidualUnit] {
        var units: [DacResidualUnit] = []
        for (index, dilation) in Self.dilations.enumerated() {
            let unit = "\(prefix).res_unit\(index + 1)"
            var conv1 = try convolution(unit + ".conv1", in: channels, out: channels, kernel: 7)
            conv1.dilation = dilation
            conv1.padding = 3 * dilation
            units.append(DacResidualUnit(
                alpha1: try snake(unit + ".snake1", channels: channels), conv1: conv1,
                alpha2: try snake(unit + ".snake2", channels: channels),
                conv2: try convolution(unit + ".conv2", in: channels, out: channels, kernel: 1)))
        }
        return units
    }

    private func convolution(_ prefix: String, in inputs: Int, out outputs: Int, kernel: Int) throws(CodecError) -> DacConvolution {
        DacConvolution(weight: try weights.normalizedWeight(prefix, shape: [outputs, inputs, kernel]),
                       bias: try weights.tensor(prefix + ".bias", shape: [outputs]))
    }

    private func snake(_ name: String, channels: Int) throws(CodecError) -> Tensor {
        try weights.tensor(name + ".alpha", shape: [1, channels, 1])
    }
}
