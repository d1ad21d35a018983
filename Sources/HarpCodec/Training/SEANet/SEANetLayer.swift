import HarpNN
import HarpTensor

/// One layer of a trainable SEANet stack. The stacks keep their layers in one indexed list, as
/// `transformers`' `EncodecEncoder`/`EncodecDecoder` do, so the state dict's names
/// (`encoder.layers.{i}.…`) are the published checkpoints' and `CodecLoader` reads an exported
/// model like any EnCodec folder.
protocol SEANetLayer: Module {
    func callAsFunction(_ input: Tensor) -> Tensor
}

/// ELU between convolutions. It has no parameters but takes its index in the list, as
/// `nn.ELU()` does in the reference's `nn.ModuleList`.
final class SEANetActivation: Module, SEANetLayer {
    func callAsFunction(_ input: Tensor) -> Tensor { input.elu() }
}
