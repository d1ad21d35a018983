import HarpNN
import HarpTensor

extension ConsistencyUNet {
    /// Zeroes what the reference zero-initialises (`init_as_zero`): every residual block's second
    /// convolution and noise projection, the attention output projections, the last layers of
    /// `scale_inp` / `scale_out` and the UNet's `conv_out` — so each block starts as the identity
    /// and the untrained model returns `c_skip·x`.
    func zeroInitializeResidualOutputs() {
        for (name, parameter) in namedParameters() where Self.isZeroInitialized(name) {
            parameter.assign(Tensor.zeros(parameter.shape))
        }
    }

    static func isZeroInitialized(_ name: String) -> Bool {
        let module = name.split(separator: ".").dropLast().joined(separator: ".")
        return module.hasSuffix(".conv2") || module.hasSuffix(".proj_emb") || module.hasSuffix(".mha.out_proj")
            || module == "scale_inp.4" || module == "scale_out.4" || module == "conv_out"
    }
}
