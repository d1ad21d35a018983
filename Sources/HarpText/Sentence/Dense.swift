import HarpTensor

/// `torch.nn.Linear`: `y = x·Wᵀ + b`, the weight transposed once at load.
/// Shapes: `[…, inputCount]` → `[…, outputCount]`.
struct Dense {
    let weightTransposed: Tensor
    let bias: Tensor

    init(weight: Tensor, bias: Tensor) {
        weightTransposed = weight.transposed()
        self.bias = bias
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let leading = Array(x.shape.dropLast())
        let rows = leading.reduce(1, *)
        let y = matmul(x.reshaped([rows, weightTransposed.shape[0]]), weightTransposed) + bias
        return y.reshaped(leading + [weightTransposed.shape[1]])
    }
}
