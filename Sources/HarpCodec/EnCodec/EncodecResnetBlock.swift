import HarpTensor

/// SEANet's residual block as EnCodec uses it (`EncodecResnetBlock`):
/// `y = shortcut(x) + conv₂(ELU(conv₁(ELU(x))))`, `conv₁` `dim → dim / compress` with kernel
/// `residual_kernel_size` and dilation `growth^j`, `conv₂` back to `dim` with kernel 1; the
/// shortcut is a 1×1 convolution, or the identity without `use_conv_shortcut`.
struct EncodecResnetBlock {
    let first: EncodecConvolution
    let second: EncodecConvolution
    let shortcut: EncodecConvolution?

    /// `[batch, dim, time] → [batch, dim, time]`.
    func callAsFunction(_ x: Tensor) -> Tensor {
        let branch = second(first(x.elu()).elu())
        return (shortcut?(x) ?? x) + branch
    }
}
