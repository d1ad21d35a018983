import HarpNN
import HarpTensor

/// SEANet's recurrent layer (`EncodecLSTM`): an LSTM over the frames with a skip,
/// `y = LSTM(x) + x`. State dict: `lstm.weight_ih_l{n}`, … (PyTorch's names).
final class SEANetLSTM: Module, SEANetLayer {
    let lstm: LSTM

    init(channels: Int, layerCount: Int, generator: inout RandomGenerator) {
        lstm = LSTM(inputSize: channels, hiddenSize: channels, layerCount: layerCount, generator: &generator)
        super.init()
    }

    /// `[batch, channels, frames] → [batch, channels, frames]`.
    func callAsFunction(_ input: Tensor) -> Tensor {
        let sequence = input.permuted([2, 0, 1])   // [frames, batch, channels]
        let output = lstm(sequence).output
        return (output + sequence).permuted([1, 2, 0])
    }
}
