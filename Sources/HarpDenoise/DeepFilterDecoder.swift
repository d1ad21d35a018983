import HarpTensor

/// DeepFilterNet3's second stage: complex filter coefficients of order 5 for the lowest 96 bins.
///
/// ref: Rikorose/DeepFilterNet DeepFilterNet/df/deepfilternet3.py `DfDecoder` (df_dec.onnx).
struct DeepFilterDecoder {
    /// What the decoder carries between blocks.
    struct State {
        var gru: [Tensor]
        var pathwayFrames: CausalFrames
    }

    let gruIn, skip, output: GroupedLinear
    let gru: GatedRecurrentUnit
    let pathwayWeight, pathwayPointwise, pathwayBias: Tensor

    init(weights: DeepFilterNetWeights) throws {
        gruIn = GroupedLinear(weight: try weights.tensor("df_dec.df_gru.linear_in.0.weight", shape: [8, 64, 32]))
        skip = GroupedLinear(weight: try weights.tensor("df_dec.df_skip.weight", shape: [16, 32, 16]))
        output = GroupedLinear(weight: try weights.tensor("df_dec.df_out.0.weight", shape: [16, 16, 60]))
        gru = try GatedRecurrentUnit(weights: weights, prefix: "df_dec.df_gru.gru", layerCount: 2)
        // [10, 32, 5, 1]: input channel c·5 + k of group g is frame k of channel g·32 + c.
        pathwayWeight = try weights.tensor("df_dec.df_convp.1.weight", shape: [10, 32, 5, 1]).reshaped([10, 160, 1])
        pathwayPointwise = try weights.tensor("df_dec.df_convp.2.weight", shape: [10, 10, 1, 1]).reshaped([10, 10, 1])
        pathwayBias = try weights.tensor("df_dec.df_convp.2.bias", shape: [10])
    }

    func initialState() -> State {
        State(gru: gru.initialState(), pathwayFrames: CausalFrames(kernel: 5, channels: 64, bins: 96))
    }

    /// Coefficients `[frames, 96, 10]`: for bin `f` and tap `k`, real part at `2k`, imaginary at `2k + 1`.
    func callAsFunction(_ encoded: DeepFilterNetEncoder.Output, state: inout State) -> Tensor {
        let frames = encoded.embedding.shape[0]
        let recurrent = gru(gruIn(encoded.embedding).relu(), state: &state.gru) + skip(encoded.embedding)
        let pathway = conv1d(conv1d(state.pathwayFrames.stacked(encoded.c0), weight: pathwayWeight, groups: 2),
                             weight: pathwayPointwise, bias: pathwayBias).relu()
        let coefficients = output(recurrent).tanh().reshaped([frames, 96, 10])
        return coefficients + pathway.permuted([0, 2, 1])
    }
}
