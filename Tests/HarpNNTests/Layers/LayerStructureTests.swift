import HarpNN
import HarpTensor
import HarpTestSupport
import Testing

/// State dict names, initialisation bounds and weight-norm bookkeeping: what loading a PyTorch
/// checkpoint and training from scratch rely on beyond the parity fixtures.
struct LayerStructureTests {
    @Test func lstmKeysFollowPyTorchOrder() {
        var g = RandomGenerator(seed: 0)
        let lstm = LSTM(inputSize: 3, hiddenSize: 2, layerCount: 2, generator: &g)
        #expect(lstm.namedParameters().map(\.name) == [
            "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
            "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
        ])
        let withoutBias = LSTM(inputSize: 3, hiddenSize: 2, bias: false, generator: &g)
        #expect(withoutBias.namedParameters().map(\.name) == ["weight_ih_l0", "weight_hh_l0"])
    }

    @Test func attentionAndWeightNormKeysMatchPyTorch() {
        var g = RandomGenerator(seed: 0)
        let attention = MultiHeadAttention(embedDimension: 4, headCount: 2, generator: &g)
        #expect(attention.namedParameters().map(\.name) == ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"])
        let normed = WeightNorm(Conv1d(inputChannels: 2, outputChannels: 3, kernelSize: 5, generator: &g))
        #expect(normed.namedParameters().map(\.name) == ["bias", "weight_g", "weight_v"])
        #expect(normed.magnitude.shape == [3, 1, 1])
    }

    @Test func defaultInitialisationStaysWithinPyTorchBounds() {
        var g = RandomGenerator(seed: 4)
        let conv = Conv1d(inputChannels: 8, outputChannels: 16, kernelSize: 3, groups: 2, generator: &g)
        let bound: Float = 1 / (4 * 3 as Float).squareRoot()
        #expect(conv.weight.scalars.allSatisfy { abs($0) <= bound })
        #expect(conv.weight.scalars.map { abs($0) }.max()! > 0.9 * bound)   // fills the range
        let transposed = ConvTranspose1d(inputChannels: 8, outputChannels: 6, kernelSize: 4, generator: &g)
        #expect(transposed.bias!.scalars.allSatisfy { abs($0) <= 1 / (6 * 4 as Float).squareRoot() })
        let attention = MultiHeadAttention(embedDimension: 8, headCount: 2, generator: &g)
        #expect(attention.inputProjectionBias!.scalars.allSatisfy { $0 == 0 })
        #expect(attention.outputProjection.bias!.scalars.allSatisfy { $0 == 0 })
    }

    @Test func weightNormStartsAtTheWrappedWeightAndFoldsBack() {
        var g = RandomGenerator(seed: 8)
        let conv = Conv1d(inputChannels: 2, outputChannels: 3, kernelSize: 3, padding: 1, generator: &g)
        let original = conv.weight.scalars
        let x = Tensor.uniform([1, 2, 6], generator: &g)
        let before = conv(x)
        let normed = WeightNorm(conv)
        expectClose(normed.weight.scalars, original, relative: 1e-6, absolute: 1e-7)
        normed.magnitude.assign(normed.magnitude * 2)
        let doubled = normed(x)
        let folded = normed.folded()
        expectClose(folded(x), doubled, relative: 1e-5, absolute: 1e-6)
        expectClose(doubled - conv.bias!.reshaped([1, 3, 1]), 2 * (before - conv.bias!.reshaped([1, 3, 1])),
                    relative: 1e-5, absolute: 1e-6)
    }

    @Test func stateDictRoundTripsBetweenTwoLayers() throws {
        var g = RandomGenerator(seed: 1), h = RandomGenerator(seed: 2)
        let a = LSTM(inputSize: 2, hiddenSize: 3, layerCount: 2, generator: &g)
        let b = LSTM(inputSize: 2, hiddenSize: 3, layerCount: 2, generator: &h)
        try b.load(stateDict: a.stateDict())
        let x = Tensor.uniform([4, 1, 2], generator: &g)
        #expect(a(x).output.scalars == b(x).output.scalars)
    }
}
