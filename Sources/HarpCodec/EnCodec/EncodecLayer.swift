import HarpTensor

/// One entry of EnCodec's `encoder.layers` / `decoder.layers` lists; the index in the list is the
/// index in the weight names.
enum EncodecLayer {
    case convolution(EncodecConvolution)
    case transposedConvolution(EncodecTransposedConvolution)
    case resnet(EncodecResnetBlock)
    case lstm(EncodecLSTMBlock)
    case elu

    func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .convolution(let layer): layer(x)
        case .transposedConvolution(let layer): layer(x)
        case .resnet(let block): block(x)
        case .lstm(let block): block(x)
        case .elu: x.elu()
        }
    }
}

/// A SEANet encoder or decoder: its layers in order.
struct EncodecStack {
    let layers: [EncodecLayer]

    /// Every layer in turn.
    func callAsFunction(_ x: Tensor) -> Tensor {
        layers.reduce(x) { $1($0) }
    }

    /// The first `count` layers (for intermediate outputs).
    func prefix(_ count: Int, _ x: Tensor) -> Tensor {
        layers.prefix(count).reduce(x) { $1($0) }
    }
}
