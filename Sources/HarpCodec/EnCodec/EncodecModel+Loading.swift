import HarpTensor

// Building EnCodec's layers from a weights file, one explicit key rule per layer kind. Convolution
// weights are read as a plain `weight` or either weight-norm naming (`CodecWeights`), whatever
// `norm_type` says, so a converted checkpoint loads either way.
// ref: huggingface/transformers `models/encodec/modeling_encodec.py` (`EncodecEncoder`,
// `EncodecDecoder`, `EncodecResnetBlock`) — the list indices are the weight names' indices.

/// Reads EnCodec's layers for one configuration out of a weights file.
struct EncodecLayerReader {
    let configuration: EncodecConfiguration
    let weights: CodecWeights

    private var padMode: PaddingMode { configuration.padMode == "reflect" ? .reflect : .zeros }
    private var usesGroupNorm: Bool { configuration.normType == "time_group_norm" }

    /// `encoder.layers`: first conv, per ratio (reversed) residual blocks, ELU and a strided
    /// conv doubling the channels, then the LSTM, ELU and the last conv to `hidden_size`.
    func encoder() throws(CodecError) -> EncodecStack {
        let c = configuration
        var layers: [EncodecLayer] = []
        func prefix() -> String { "encoder.layers.\(layers.count)" }
        layers.append(.convolution(try convolution(prefix(), in: c.audioChannels, out: c.numFilters, kernel: c.kernelSize)))
        var scaling = 1
        for ratio in c.upsamplingRatios.reversed() {
            let channels = scaling * c.numFilters
            for j in 0..<c.numResidualLayers {
                layers.append(.resnet(try resnet(prefix(), channels: channels, dilation: pow(c.dilationGrowthRate, j))))
            }
            layers.append(.elu)
            layers.append(.convolution(try convolution(prefix(), in: channels, out: 2 * channels,
                                                       kernel: 2 * ratio, stride: ratio)))
            scaling *= 2
        }
        layers.append(.lstm(try lstm(prefix(), channels: scaling * c.numFilters)))
        layers.append(.elu)
        layers.append(.convolution(try convolution(prefix(), in: scaling * c.numFilters, out: c.hiddenSize,
                                                   kernel: c.lastKernelSize)))
        return EncodecStack(layers: layers)
    }

    /// `decoder.layers`: first conv from `hidden_size`, the LSTM, per ratio ELU, a transposed
    /// conv halving the channels and residual blocks, then ELU and the last conv to audio.
    func decoder() throws(CodecError) -> EncodecStack {
        let c = configuration
        var layers: [EncodecLayer] = []
        func prefix() -> String { "decoder.layers.\(layers.count)" }
        var scaling = 1 << c.upsamplingRatios.count
        layers.append(.convolution(try convolution(prefix(), in: c.hiddenSize, out: scaling * c.numFilters,
                                                   kernel: c.kernelSize)))
        layers.append(.lstm(try lstm(prefix(), channels: scaling * c.numFilters)))
        for ratio in c.upsamplingRatios {
            let channels = scaling * c.numFilters
            layers.append(.elu)
            layers.append(.transposedConvolution(try transposedConvolution(prefix(), in: channels, out: channels / 2,
                                                                           kernel: 2 * ratio, stride: ratio)))
            for j in 0..<c.numResidualLayers {
                layers.append(.resnet(try resnet(prefix(), channels: channels / 2, dilation: pow(c.dilationGrowthRate, j))))
            }
            scaling /= 2
        }
        layers.append(.elu)
        layers.append(.convolution(try convolution(prefix(), in: c.numFilters, out: c.audioChannels,
                                                   kernel: c.lastKernelSize)))
        return EncodecStack(layers: layers)
    }

    /// `quantizer.layers.{q}.codebook.embed` for every codebook.
    func quantizer() throws(CodecError) -> EncodecQuantizer {
        let c = configuration
        var codebooks: [Tensor] = []
        for q in 0..<c.maximumQuantizerCount {
            codebooks.append(try weights.tensor("quantizer.layers.\(q).codebook.embed",
                                                shape: [c.codebookSize, c.quantizerDimension]))
        }
        return EncodecQuantizer(codebooks: codebooks)
    }

    // MARK: - Layers

    private func convolution(_ prefix: String, in inputs: Int, out outputs: Int, kernel: Int,
                             stride: Int = 1, dilation: Int = 1) throws(CodecError) -> EncodecConvolution {
        let shape = [outputs, inputs, kernel]
        let weight = try weights.normalizedWeight(prefix + ".conv", shape: shape)
        return EncodecConvolution(
            weight: weight, bias: try weights.tensor(prefix + ".conv.bias", shape: [outputs]),
            stride: stride, dilation: dilation, causal: configuration.useCausalConv, padMode: padMode,
            groupNorm: try groupNorm(prefix, channels: outputs))
    }

    private func transposedConvolution(_ prefix: String, in inputs: Int, out outputs: Int, kernel: Int,
                                       stride: Int) throws(CodecError) -> EncodecTransposedConvolution {
        let shape = [inputs, outputs, kernel]
        let weight = try weights.normalizedWeight(prefix + ".conv", shape: shape)
        return EncodecTransposedConvolution(
            weight: weight, bias: try weights.tensor(prefix + ".conv.bias", shape: [outputs]),
            stride: stride, causal: configuration.useCausalConv, trimRightRatio: configuration.trimRightRatio,
            groupNorm: try groupNorm(prefix, channels: outputs))
    }

    private func groupNorm(_ prefix: String, channels: Int) throws(CodecError) -> (weight: Tensor, bias: Tensor)? {
        guard usesGroupNorm else { return nil }
        return (try weights.tensor(prefix + ".norm.weight", shape: [channels]),
                try weights.tensor(prefix + ".norm.bias", shape: [channels]))
    }

    private func resnet(_ prefix: String, channels: Int, dilation: Int) throws(CodecError) -> EncodecResnetBlock {
        let hidden = channels / configuration.compress
        return EncodecResnetBlock(
            first: try convolution(prefix + ".block.1", in: channels, out: hidden,
                                   kernel: configuration.residualKernelSize, dilation: dilation),
            second: try convolution(prefix + ".block.3", in: hidden, out: channels, kernel: 1),
            shortcut: configuration.useConvShortcut
                ? try convolution(prefix + ".shortcut", in: channels, out: channels, kernel: 1) : nil)
    }

    private func lstm(_ prefix: String, channels: Int) throws(CodecError) -> EncodecLSTMBlock {
        var layers: [EncodecLSTMBlock.Layer] = []
        for layer in 0..<configuration.numLSTMLayers {
            let name = "\(prefix).lstm"
            let inputWeight = try weights.tensor("\(name).weight_ih_l\(layer)", shape: [4 * channels, channels])
            let recurrentWeight = try weights.tensor("\(name).weight_hh_l\(layer)", shape: [4 * channels, channels])
            let inputBias = try weights.tensor("\(name).bias_ih_l\(layer)", shape: [4 * channels])
            let recurrentBias = try weights.tensor("\(name).bias_hh_l\(layer)", shape: [4 * channels])
            layers.append(withoutGradients {
                EncodecLSTMBlock.Layer(inputWeight: inputWeight.transposed(), recurrentWeight: recurrentWeight.transposed(),
                                       bias: inputBias + recurrentBias)
            })
        }
        return EncodecLSTMBlock(layers: layers, hiddenSize: channels)
    }

    private func pow(_ base: Int, _ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { result, _ in result * base }
    }
}
