import HarpTensor

/// A dense layer `y = x·Wᵀ + b` (`torch.nn.Linear`) whose weight is transposed once, when it is
/// loaded, so no step of generation copies a weight matrix.
///
/// Shapes: input `[…, inputCount]` → output `[…, outputCount]`. Stored: `W [outputCount,
/// inputCount]` as `Wᵀ [inputCount, outputCount]`, `b [outputCount]` or none.
struct Projection {
    let weightTransposed: Tensor
    let bias: Tensor?

    var inputCount: Int { weightTransposed.shape[0] }
    var outputCount: Int { weightTransposed.shape[1] }

    /// From a PyTorch `weight [out, in]` and optional `bias [out]`.
    init(weight: Tensor, bias: Tensor? = nil) {
        weightTransposed = weight.transposed()
        self.bias = bias
    }

    /// Several projections of the same input as one (`W = [W₀; W₁; …]`), e.g. the four LM heads.
    init(stacking parts: [Projection]) {
        precondition(!parts.isEmpty && parts.allSatisfy { $0.inputCount == parts[0].inputCount })
        weightTransposed = Tensor.concatenated(parts.map(\.weightTransposed), alongAxis: 1)
        let biases = parts.compactMap(\.bias)
        bias = biases.count == parts.count ? Tensor.concatenated(biases, alongAxis: 0) : nil
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(input.shape.last == inputCount, "projection: input \(input.shape) does not end in \(inputCount)")
        let leading = Array(input.shape.dropLast())
        var output = matmul(input.reshaped([Shape.count(leading), inputCount]), weightTransposed)
        if let bias { output = output + bias }
        return output.reshaped(leading + [outputCount])
    }
}

extension CheckpointWeights {
    /// The `Linear` at `prefix` (`prefix.weight`, and `prefix.bias` when `bias`).
    func projection(_ prefix: String, input: Int, output: Int, bias: Bool = false) throws(GenerateError) -> Projection {
        let weight = try tensor(prefix + ".weight", shape: [output, input])
        return Projection(weight: weight, bias: bias ? try tensor(prefix + ".bias", shape: [output]) : nil)
    }
}
