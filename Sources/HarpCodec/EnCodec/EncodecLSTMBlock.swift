import HarpNN
import HarpTensor

/// EnCodec's LSTM stage (`EncodecLSTM`): a multi-layer LSTM over time with a skip,
/// `y = LSTM(x) + x`, from a zero state.
struct EncodecLSTMBlock {
    let lstm: LSTM

    /// `[batch, channels, time] → [batch, channels, time]`.
    func callAsFunction(_ x: Tensor) -> Tensor {
        step(x, state: nil).output
    }

    /// One block of time steps from `state` (zeros when `nil`), returning the state after the
    /// last step, so a stream can continue where it stopped.
    func step(_ x: Tensor, state: (hidden: Tensor, cell: Tensor)?) -> (output: Tensor, state: (hidden: Tensor, cell: Tensor)) {
        let sequence = x.transposed(1, 2)    // [batch, time, channels]
        let result = lstm(sequence, state: state)
        return ((result.output + sequence).transposed(1, 2), (result.hidden, result.cell))
    }
}
