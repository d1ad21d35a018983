import HarpTensor

/// DeepFilterNet's grouped linear layer without bias: the input's features split into `G`
/// groups, each mapped by its own matrix.
///
/// `y[t, g·H + h] = Σ_i x[t, g·I + i] · weight[g, i, h]` (einsum `btgi,gih->btgh`).
///
/// ref: Rikorose/DeepFilterNet DeepFilterNet/df/modules.py `GroupedLinearEinsum`.
struct GroupedLinear {
    /// `[groups, inputsPerGroup, outputsPerGroup]`.
    let weight: Tensor

    /// `[frames, groups · inputsPerGroup]` → `[frames, groups · outputsPerGroup]`.
    func callAsFunction(_ x: Tensor) -> Tensor {
        let (groups, inputs, outputs) = (weight.shape[0], weight.shape[1], weight.shape[2])
        let frames = x.shape[0]
        let grouped = x.reshaped([frames, groups, inputs]).permuted([1, 0, 2])
        return matmul(grouped, weight).permuted([1, 0, 2]).reshaped([frames, groups * outputs])
    }
}
