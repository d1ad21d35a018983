import HarpTensor

/// DeepFilterNet3's first stage: gains in (0, 1) for the 32 ERB bands of each frame.
///
/// ref: Rikorose/DeepFilterNet DeepFilterNet/df/deepfilternet3.py `ErbDecoder` (erb_dec.onnx).
struct ERBDecoder {
    /// A depthwise 1×1 convolution with folded batch norm and ReLU (`conv3p` … `conv0p`).
    struct Projection {
        let weight: Tensor
        let bias: Tensor
        init(weights: DeepFilterNetWeights, name: String) throws {
            weight = try weights.tensor("\(name).0.weight", shape: [64, 1, 1, 1]).reshaped([64, 1, 1])
            bias = try weights.tensor("\(name).0.bias", shape: [64])
        }
        func callAsFunction(_ x: Tensor) -> Tensor { conv1d(x, weight: weight, bias: bias, groups: 64).relu() }
    }

    let gruIn, gruOut: GroupedLinear
    let gru: GatedRecurrentUnit
    let project3, project2, project1, project0: Projection
    let convt3: SeparableConv
    let convt2, convt1: SeparableTransposedConv
    let outputWeight, outputBias: Tensor

    init(weights: DeepFilterNetWeights) throws {
        gruIn = GroupedLinear(weight: try weights.tensor("erb_dec.emb_gru.linear_in.0.weight", shape: [16, 32, 16]))
        gruOut = GroupedLinear(weight: try weights.tensor("erb_dec.emb_gru.linear_out.0.weight", shape: [16, 16, 32]))
        gru = try GatedRecurrentUnit(weights: weights, prefix: "erb_dec.emb_gru.gru", layerCount: 2)
        project3 = try Projection(weights: weights, name: "erb_dec.conv3p")
        project2 = try Projection(weights: weights, name: "erb_dec.conv2p")
        project1 = try Projection(weights: weights, name: "erb_dec.conv1p")
        project0 = try Projection(weights: weights, name: "erb_dec.conv0p")
        convt3 = try SeparableConv(weights: weights, name: "erb_dec.convt3", stride: 1)
        convt2 = try SeparableTransposedConv(weights: weights, name: "erb_dec.convt2")
        convt1 = try SeparableTransposedConv(weights: weights, name: "erb_dec.convt1")
        outputWeight = try weights.tensor("erb_dec.conv0_out.0.weight", shape: [1, 64, 1, 3]).reshaped([1, 64, 3])
        outputBias = try weights.tensor("erb_dec.conv0_out.0.bias", shape: [1])
    }

    /// The GRU's zero state.
    func initialState() -> [Tensor] { gru.initialState() }

    /// Gains `[frames, 32]` from the encoder's output.
    func callAsFunction(_ encoded: DeepFilterNetEncoder.Output, state: inout [Tensor]) -> Tensor {
        let frames = encoded.embedding.shape[0]
        let recurrent = gruOut(gru(gruIn(encoded.embedding).relu(), state: &state)).relu()
        let embedding = recurrent.reshaped([frames, 8, 64]).permuted([0, 2, 1])
        let d3 = convt3(project3(encoded.e3) + embedding)
        let d2 = convt2(project2(encoded.e2) + d3)
        let d1 = convt1(project1(encoded.e1) + d2)
        let logits = conv1d(project0(encoded.e0) + d1, weight: outputWeight, bias: outputBias, padding: 1)
        return logits.sigmoid().reshaped([frames, 32])
    }
}
