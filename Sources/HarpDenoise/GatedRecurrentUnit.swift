import HarpTensor

/// A stack of GRU layers in PyTorch's formulation (gates r, z, n; the reset gate applied after
/// the hidden projection), run over a block of frames from a carried hidden state.
///
/// `r = σ(W_ir x + b_ir + W_hr h + b_hr)`, `z = σ(W_iz x + b_iz + W_hz h + b_hz)`,
/// `n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))`, `h' = (1 − z) ⊙ n + z ⊙ h`.
///
/// ref: `torch.nn.GRU`; ONNX `GRU` with `linear_before_reset = 1` in DeepFilterNet3's graphs.
struct GatedRecurrentUnit {
    struct Layer {
        /// `[inputSize, 3 · hiddenSize]` (PyTorch's `weight_ih` transposed).
        let inputWeight: Tensor
        /// `[hiddenSize, 3 · hiddenSize]`.
        let hiddenWeight: Tensor
        let inputBias: Tensor
        let hiddenBias: Tensor
    }

    let layers: [Layer]
    let hiddenSize: Int

    init(weights: DeepFilterNetWeights, prefix: String, layerCount: Int, hiddenSize: Int = 256) throws {
        self.hiddenSize = hiddenSize
        layers = try (0..<layerCount).map { layer in
            let gates = 3 * hiddenSize
            return Layer(
                inputWeight: try weights.tensor("\(prefix).weight_ih_l\(layer)", shape: [gates, hiddenSize]).transposed(),
                hiddenWeight: try weights.tensor("\(prefix).weight_hh_l\(layer)", shape: [gates, hiddenSize]).transposed(),
                inputBias: try weights.tensor("\(prefix).bias_ih_l\(layer)", shape: [gates]),
                hiddenBias: try weights.tensor("\(prefix).bias_hh_l\(layer)", shape: [gates]))
        }
    }

    /// The zero hidden state: `[layers, 1, hiddenSize]`.
    func initialState() -> [Tensor] { layers.map { _ in Tensor.zeros([1, hiddenSize]) } }

    /// Runs `x` `[frames, inputSize]` through every layer; updates `state` (one `[1, hiddenSize]`
    /// per layer) and returns the last layer's outputs `[frames, hiddenSize]`.
    func callAsFunction(_ x: Tensor, state: inout [Tensor]) -> Tensor {
        var sequence = x
        for (index, layer) in layers.enumerated() {
            let inputGates = matmul(sequence, layer.inputWeight) + layer.inputBias
            var hidden = state[index]
            var outputs: [Tensor] = []
            outputs.reserveCapacity(x.shape[0])
            for frame in 0..<x.shape[0] {
                let fromInput = inputGates.sliced(alongAxis: 0, start: frame, end: frame + 1)
                    .split(sizes: [hiddenSize, hiddenSize, hiddenSize], alongAxis: 1)
                let fromHidden = (matmul(hidden, layer.hiddenWeight) + layer.hiddenBias)
                    .split(sizes: [hiddenSize, hiddenSize, hiddenSize], alongAxis: 1)
                let reset = (fromInput[0] + fromHidden[0]).sigmoid()
                let update = (fromInput[1] + fromHidden[1]).sigmoid()
                let candidate = (fromInput[2] + reset * fromHidden[2]).tanh()
                hidden = candidate + update * (hidden - candidate)
                outputs.append(hidden)
            }
            state[index] = hidden
            sequence = Tensor.concatenated(outputs, alongAxis: 0)
        }
        return sequence
    }
}
