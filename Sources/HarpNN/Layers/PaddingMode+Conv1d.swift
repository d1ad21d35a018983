import HarpTensor

/// How `Conv1d` pads its input (`torch.nn.Conv1d`'s `padding_mode`).
public enum ConvolutionPaddingMode: String, Sendable, Codable {
    case zeros, reflect, replicate, circular

    /// The `PaddingMode` of `Tensor.padded` for the non-zero modes.
    var tensorPaddingMode: PaddingMode {
        switch self {
        case .zeros: .zeros
        case .reflect: .reflect
        case .replicate: .replicate
        case .circular: .circular
        }
    }
}
