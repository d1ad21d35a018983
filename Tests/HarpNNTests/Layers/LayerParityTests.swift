import HarpNN
import HarpTensor
import HarpTestSupport
import Testing

/// Every layer against PyTorch at the configuration `tools/make_layer_fixtures.py` uses (repeated
/// here), loaded through `load(stateDict:)`: outputs, input gradients and every parameter gradient.
///
/// Tolerance `1e-5` relative + `1e-5` absolute: the values are O(1) and both sides compute in
/// Float32 with different summation orders (BLAS vs PyTorch's kernels), which leaves differences
/// of a few ulps of the largest partial sums; see each case for any looser bound.
struct LayerParityTests {
    static func generator() -> RandomGenerator { RandomGenerator(seed: 99) }

    @Test func linearMatchesPyTorch() throws {
        var g = Self.generator()
        let layer = Linear(inputCount: 5, outputCount: 3, generator: &g)
        try LayerFixture("linear").check(layer) { ["output": layer($0["x"]!)] }
    }

    @Test func conv1dWithStridePaddingDilationGroupsMatchesPyTorch() throws {
        var g = Self.generator()
        let layer = Conv1d(inputChannels: 4, outputChannels: 6, kernelSize: 3, stride: 2, padding: 2, dilation: 2,
                           groups: 2, generator: &g)
        try LayerFixture("conv1d").check(layer) { ["output": layer($0["x"]!)] }
    }

    @Test func conv2dWithStrideDilationAndGroupsMatchesPyTorch() throws {
        var g = Self.generator()
        let layer = Conv2d(inputChannels: 4, outputChannels: 6, kernelSize: (3, 5), stride: (2, 1), padding: (1, 2),
                           dilation: (1, 2), groups: 2, generator: &g)
        try LayerFixture("conv2d").check(layer) { ["output": layer($0["x"]!)] }
    }

    @Test func conv2dWithoutBiasMatchesPyTorch() throws {
        var g = Self.generator()
        let layer = Conv2d(inputChannels: 2, outputChannels: 3, kernelSize: (3, 9), stride: (1, 2), padding: (1, 4),
                           bias: false, generator: &g)
        try LayerFixture("conv2d_plain").check(layer) { ["output": layer($0["x"]!)] }
    }

    @Test func weightNormConv2dMatchesPyTorch() throws {
        var g = Self.generator()
        let layer = WeightNorm(Conv2d(inputChannels: 3, outputChannels: 4, kernelSize: (3, 3), padding: (1, 1),
                                      generator: &g))
        try LayerFixture("weight_norm_conv2d").check(layer) { ["output": layer($0["x"]!)] }
    }

    @Test func conv1dReflectPaddingMatchesPyTorch() throws {
        var g = Self.generator()
        let layer = Conv1d(inputChannels: 3, outputChannels: 4, kernelSize: 5, padding: 2, paddingMode: .reflect,
                           generator: &g)
        try LayerFixture("conv1d_reflect").check(layer) { ["output": layer($0["x"]!)] }
    }

    @Test func conv1dReplicatePaddingWithoutBiasMatchesPyTorch() throws {
        var g = Self.generator()
        let layer = Conv1d(inputChannels: 3, outputChannels: 2, kernelSize: 3, stride: 2, padding: 1, bias: false,
                           paddingMode: .replicate, generator: &g)
        try LayerFixture("conv1d_replicate").check(layer) { ["output": layer($0["x"]!)] }
    }

    @Test func convTranspose1dMatchesPyTorch() throws {
        var g = Self.generator()
        let layer = ConvTranspose1d(inputChannels: 4, outputChannels: 6, kernelSize: 4, stride: 2, padding: 1,
                                    outputPadding: 1, groups: 2, generator: &g)
        try LayerFixture("conv_transpose1d").check(layer) { ["output": layer($0["x"]!)] }
    }

    @Test func weightNormConv1dMatchesPyTorch() throws {
        var g = Self.generator()
        let layer = WeightNorm(Conv1d(inputChannels: 3, outputChannels: 4, kernelSize: 3, padding: 1, generator: &g))
        try LayerFixture("weight_norm_conv1d").check(layer) { ["output": layer($0["x"]!)] }
    }

    @Test func weightNormConvTranspose1dMatchesPyTorch() throws {
        var g = Self.generator()
        let layer = WeightNorm(ConvTranspose1d(inputChannels: 4, outputChannels: 3, kernelSize: 4, stride: 2,
                                               padding: 1, generator: &g))
        try LayerFixture("weight_norm_conv_transpose1d").check(layer) { ["output": layer($0["x"]!)] }
    }

    @Test func weightNormLinearMatchesPyTorch() throws {
        var g = Self.generator()
        let layer = WeightNorm(Linear(inputCount: 5, outputCount: 3, generator: &g))
        try LayerFixture("weight_norm_linear").check(layer) { ["output": layer($0["x"]!)] }
    }

    @Test func layerNormMatchesPyTorch() throws {
        let layer = LayerNorm(6)
        try LayerFixture("layer_norm").check(layer) { ["output": layer($0["x"]!)] }
    }

    @Test func groupNormMatchesPyTorch() throws {
        let layer = GroupNorm(groupCount: 2, channelCount: 6)
        try LayerFixture("group_norm").check(layer) { ["output": layer($0["x"]!)] }
    }

    @Test func rmsNormMatchesPyTorch() throws {
        let layer = RMSNorm(6)
        try LayerFixture("rms_norm").check(layer) { ["output": layer($0["x"]!)] }
    }

    @Test func embeddingMatchesPyTorch() throws {
        var g = Self.generator()
        let layer = Embedding(count: 7, dimension: 4, generator: &g)
        try LayerFixture("embedding").check(layer) { ["output": layer($0["indices"]!)] }
    }

    @Test func causalSelfAttentionMatchesPyTorch() throws {
        var g = Self.generator()
        let layer = MultiHeadAttention(embedDimension: 8, headCount: 2, batchFirst: true, generator: &g)
        try LayerFixture("mha_self_causal").check(layer) { inputs in
            let x = inputs["x"]!
            let (output, weights) = layer.attention(query: x, key: x, value: x, isCausal: true)
            return ["output": output, "weights": weights]
        }
    }

    @Test func crossAttentionWithKeyPaddingMatchesPyTorch() throws {
        var g = Self.generator()
        let layer = MultiHeadAttention(embedDimension: 8, headCount: 4, generator: &g)
        try LayerFixture("mha_cross_padding").check(layer) { inputs in
            let (output, weights) = layer.attention(query: inputs["query"]!, key: inputs["key"]!, value: inputs["value"]!,
                                                    keyPaddingMask: inputs["key_padding_mask"]!)
            return ["output": output, "weights": weights]
        }
    }

    @Test func oneLayerBatchFirstLSTMMatchesPyTorch() throws {
        var g = Self.generator()
        let layer = LSTM(inputSize: 3, hiddenSize: 4, batchFirst: true, generator: &g)
        try LayerFixture("lstm_one_layer").check(layer) { inputs in
            let (output, hidden, cell) = layer(inputs["x"]!)
            return ["output": output, "hidden": hidden, "cell": cell]
        }
    }

    @Test func twoLayerLSTMWithInitialStateMatchesPyTorch() throws {
        var g = Self.generator()
        let layer = LSTM(inputSize: 3, hiddenSize: 4, layerCount: 2, generator: &g)
        try LayerFixture("lstm_two_layers").check(layer) { inputs in
            let (output, hidden, cell) = layer(inputs["x"]!, state: (inputs["h0"]!, inputs["c0"]!))
            return ["output": output, "hidden": hidden, "cell": cell]
        }
    }

    @Test func lossesMatchPyTorch() throws {
        try LayerFixture("loss_mse").check(Module()) { ["output": Losses.meanSquaredError($0["prediction"]!, $0["target"]!)] }
        try LayerFixture("loss_l1").check(Module()) { ["output": Losses.l1($0["prediction"]!, $0["target"]!)] }
        try LayerFixture("loss_cross_entropy").check(Module()) { inputs in
            ["output": Losses.crossEntropy(logits: inputs["logits"]!, targets: inputs["targets"]!.scalars.map { Int($0) })]
        }
    }
}
