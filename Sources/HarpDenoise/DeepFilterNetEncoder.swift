import HarpTensor

/// DeepFilterNet3's encoder: ERB features and complex features of the lowest 96 bins in,
/// skip connections, the shared embedding and the local SNR out.
///
/// ref: Rikorose/DeepFilterNet DeepFilterNet/df/deepfilternet3.py `Encoder` (enc.onnx).
struct DeepFilterNetEncoder {
    /// Everything the decoders read, for a block of frames.
    struct Output {
        /// `[frames, 64, 32]`, `[frames, 64, 16]`, `[frames, 64, 8]`, `[frames, 64, 8]`.
        let e0, e1, e2, e3: Tensor
        /// `[frames, 512]`.
        let embedding: Tensor
        /// `[frames, 64, 96]`.
        let c0: Tensor
        /// Local SNR estimate per frame (dB), `[frames]`.
        let localSNR: Tensor
    }

    /// What the encoder carries from one block to the next.
    struct State {
        var erbFrames: CausalFrames
        var spectrumFrames: CausalFrames
        var gru: [Tensor]
    }

    let erbConv0Weight, erbConv0Bias: Tensor
    let erbConv1, erbConv2, erbConv3, dfConv1: SeparableConv
    let dfConv0Weight, dfConv0Pointwise, dfConv0Bias: Tensor
    let dfEmbedding: GroupedLinear
    let gruIn, gruOut: GroupedLinear
    let gru: GatedRecurrentUnit
    let snrWeight, snrBias: Tensor
    let snrScale: Float, snrOffset: Float

    init(weights: DeepFilterNetWeights, configuration: DeepFilterNetConfiguration) throws {
        erbConv0Weight = try weights.tensor("enc.erb_conv0.1.weight", shape: [64, 1, 3, 3]).reshaped([64, 3, 3])
        erbConv0Bias = try weights.tensor("enc.erb_conv0.1.bias", shape: [64])
        erbConv1 = try SeparableConv(weights: weights, name: "enc.erb_conv1", stride: 2)
        erbConv2 = try SeparableConv(weights: weights, name: "enc.erb_conv2", stride: 2)
        erbConv3 = try SeparableConv(weights: weights, name: "enc.erb_conv3", stride: 1)
        dfConv0Weight = try weights.tensor("enc.df_conv0.1.weight", shape: [64, 1, 3, 3]).reshaped([64, 3, 3])
        dfConv0Pointwise = try weights.tensor("enc.df_conv0.2.weight", shape: [64, 64, 1, 1]).reshaped([64, 64, 1])
        dfConv0Bias = try weights.tensor("enc.df_conv0.2.bias", shape: [64])
        dfConv1 = try SeparableConv(weights: weights, name: "enc.df_conv1", stride: 2)
        dfEmbedding = GroupedLinear(weight: try weights.tensor("enc.df_fc_emb.0.weight", shape: [32, 96, 16]))
        gruIn = GroupedLinear(weight: try weights.tensor("enc.emb_gru.linear_in.0.weight", shape: [16, 32, 16]))
        gruOut = GroupedLinear(weight: try weights.tensor("enc.emb_gru.linear_out.0.weight", shape: [16, 16, 32]))
        gru = try GatedRecurrentUnit(weights: weights, prefix: "enc.emb_gru.gru", layerCount: 1)
        snrWeight = try weights.tensor("enc.lsnr_fc.0.weight", shape: [1, 512]).transposed()
        snrBias = try weights.tensor("enc.lsnr_fc.0.bias", shape: [1])
        snrScale = configuration.localSNRMaximum - configuration.localSNRMinimum
        snrOffset = configuration.localSNRMinimum
    }

    func initialState() -> State {
        State(erbFrames: CausalFrames(kernel: 3, channels: 1, bins: 32),
              spectrumFrames: CausalFrames(kernel: 3, channels: 2, bins: 96),
              gru: gru.initialState())
    }

    /// - Parameters:
    ///   - erbFeatures: normalised ERB energies `[frames, 1, 32]`.
    ///   - spectrumFeatures: normalised complex spectrum `[frames, 2, 96]` (real, imaginary).
    func callAsFunction(erbFeatures: Tensor, spectrumFeatures: Tensor, state: inout State) -> Output {
        let frames = erbFeatures.shape[0]
        let e0 = conv1d(state.erbFrames.stacked(erbFeatures), weight: erbConv0Weight, bias: erbConv0Bias,
                        padding: 1).relu()
        let e1 = erbConv1(e0)
        let e2 = erbConv2(e1)
        let e3 = erbConv3(e2)
        let c0Filtered = conv1d(state.spectrumFrames.stacked(spectrumFeatures), weight: dfConv0Weight,
                                padding: 1, groups: 2)
        let c0 = conv1d(c0Filtered, weight: dfConv0Pointwise, bias: dfConv0Bias).relu()
        let c1 = dfConv1(c0)
        let spectrumEmbedding = dfEmbedding(c1.permuted([0, 2, 1]).reshaped([frames, 48 * 64])).relu()
        let combined = e3.permuted([0, 2, 1]).reshaped([frames, 512]) + spectrumEmbedding
        let recurrent = gru(gruIn(combined).relu(), state: &state.gru)
        let embedding = gruOut(recurrent).relu()
        let localSNR = (matmul(embedding, snrWeight) + snrBias).sigmoid() * snrScale + snrOffset
        return Output(e0: e0, e1: e1, e2: e2, e3: e3, embedding: embedding, c0: c0,
                      localSNR: localSNR.reshaped([frames]))
    }
}
