import HarpTensor

/// EnCodec's LSTM stage (`EncodecLSTM`): a multi-layer unidirectional LSTM over time with a
/// skip, `y = LSTM(x) + x`, from a zero state (or from the state a stream carries).
///
/// Each layer, gates in PyTorch's order i, f, g, o: `[i f g o] = x_t·W_ihᵀ + h_{t−1}·W_hhᵀ + b_ih + b_hh`,
/// `c_t = σ(f)⊙c_{t−1} + σ(i)⊙tanh(g)`, `h_t = σ(o)⊙tanh(c_t)`. Inference only: the weights are
/// stored transposed once and the biases summed, the input part of every step's gates is one
/// matrix product, and each step is one `[1, H] × [H, 4H]` product plus element-wise ops.
///
/// ref: PyTorch `torch.nn.LSTM` (gate order, both biases); huggingface/transformers
/// `models/encodec/modeling_encodec.py` (`EncodecLSTM`).
struct EncodecLSTMBlock {
    struct Layer {
        /// `W_ihᵀ`, `W_hhᵀ`: `[H, 4H]`.
        let inputWeight: Tensor
        let recurrentWeight: Tensor
        /// `b_ih + b_hh`: `[4H]`.
        let bias: Tensor
    }

    typealias State = (hidden: Tensor, cell: Tensor)

    let layers: [Layer]
    let hiddenSize: Int

    /// `[batch = 1, channels, time] → [1, channels, time]`.
    func callAsFunction(_ x: Tensor) -> Tensor {
        step(x, state: nil).output
    }

    /// One block of time steps from `state` (per layer `[1, H]`; zeros when `nil`), returning the
    /// state after the last step, so a stream can continue where it stopped.
    func step(_ x: Tensor, state: [State]?) -> (output: Tensor, state: [State]) {
        precondition(x.shape[0] == 1, "EncodecLSTMBlock runs one item at a time")
        let sequence = x.reshaped([x.shape[1], x.shape[2]]).transposed()   // [time, H]
        var current = sequence
        var states: [State] = []
        for (index, layer) in layers.enumerated() {
            let initial = state?[index] ?? (Tensor.zeros([1, hiddenSize]), Tensor.zeros([1, hiddenSize]))
            let (output, last) = run(layer, current, from: initial)
            current = output
            states.append(last)
        }
        let result = (current + sequence).transposed()
        return (result.reshaped([1] + result.shape), states)
    }

    private func run(_ layer: Layer, _ x: Tensor, from state: State) -> (Tensor, State) {
        let time = x.shape[0], width = hiddenSize
        let inputGates = matmul(x, layer.inputWeight) + layer.bias          // [time, 4H]
        var (h, c) = state
        var outputs: [Tensor] = []
        outputs.reserveCapacity(time)
        for t in 0..<time {
            let gates = inputGates.sliced(alongAxis: 0, start: t, end: t + 1) + matmul(h, layer.recurrentWeight)
            let parts = gates.split(sizes: [width, width, width, width], alongAxis: 1)
            c = parts[1].sigmoid() * c + parts[0].sigmoid() * parts[2].tanh()
            h = parts[3].sigmoid() * c.tanh()
            outputs.append(h)
        }
        return (Tensor.concatenated(outputs, alongAxis: 0), (h, c))
    }
}
