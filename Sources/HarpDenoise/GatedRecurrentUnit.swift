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
            // Input projections for the whole block at once; only the recurrence is sequential.
            let inputGates = (matmul(sequence, layer.inputWeight) + layer.inputBias)
                .split(sizes: [2 * hiddenSize, hiddenSize], alongAxis: 1)
            var hidden = state[index]
            var outputs: [Tensor] = []
            outputs.reserveCapacity(x.shape[0])
            for frame in 0..<x.shape[0] {
                let fromInput = x.shape[0] == 1 ? inputGates
                    : inputGates.map { $0.sliced(alongAxis: 0, start: frame, end: frame + 1) }
                let fromHidden = (matmul(hidden, layer.hiddenWeight) + layer.hiddenBias)
                    .split(sizes: [2 * hiddenSize, hiddenSize], alongAxis: 1)
                let gates = (fromInput[0] + fromHidden[0]).sigmoid().split(sizes: [hiddenSize, hiddenSize], alongAxis: 1)
                let (reset, update) = (gates[0], gates[1])
                let candidate = (fromInput[1] + reset * fromHidden[1]).tanh()
                hidden = candidate + update * (hidden - candidate)
                outputs.append(hidden)
            }
            state[index] = hidden
            sequence = outputs.count == 1 ? outputs[0] : Tensor.concatenated(outputs, alongAxis: 0)
        }
        return sequence
    }
}
