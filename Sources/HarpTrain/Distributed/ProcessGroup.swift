import HarpTensor

/// The processes of one data-parallel training run: each trains on its own shard of every batch,
/// and they agree on gradients, codebook statistics and when to stop by summing values together.
///
/// One primitive, `sumInPlace`, is all an implementation provides (MPI's `Allreduce` with
/// `MPI_SUM`); averaging gradients, gathering rows and agreeing on a flag are built on it here,
/// so a new transport is a few lines.
public protocol ProcessGroup: AnyObject {
    /// This process's index, `0..<size`; rank 0 alone writes files.
    var rank: Int { get }
    /// How many processes take part.
    var size: Int { get }
    /// Replaces `values` on every process with their element-wise sum over all processes.
    /// Every process must call it with the same count, in the same order.
    func sumInPlace(_ values: inout [Float])
}

extension ProcessGroup {
    /// Replaces each parameter's gradient by its mean over the processes, so that `size`
    /// processes with batch `b` step exactly as one process with batch `size·b` (every loss is a
    /// mean over its batch). Parameters without a gradient are skipped on every process alike:
    /// all processes run the same graph.
    public func averageGradients(of parameters: [Tensor]) {
        let gradients = parameters.compactMap(\.grad)
        var flat = [Float]()
        flat.reserveCapacity(gradients.reduce(0) { $0 + $1.count })
        for gradient in gradients { flat += gradient.scalars }
        sumInPlace(&flat)
        let scale = 1 / Float(size)
        var offset = 0
        for gradient in gradients {
            gradient.withUnsafeMutableBufferPointer { values in
                for i in values.indices { values[i] = flat[offset + i] * scale }
            }
            offset += gradient.count
        }
    }

    /// The rows `[n, …]` of every process stacked in rank order, `[size·n, …]`: the rows a single
    /// process with the whole batch would hold (its batch is the shards in rank order).
    public func gatherRows(_ tensor: Tensor) -> Tensor {
        let count = tensor.count
        var flat = [Float](repeating: 0, count: count * size)
        tensor.withUnsafeBufferPointer { values in
            for i in 0..<count { flat[rank * count + i] = values[i] }
        }
        sumInPlace(&flat)
        return Tensor(shape: [tensor.shape[0] * size] + tensor.shape.dropFirst(), values: flat)
    }

    /// Whether `flag` is true on any process (so all stop together after an interrupt).
    public func anyProcess(_ flag: Bool) -> Bool {
        var value: [Float] = [flag ? 1 : 0]
        sumInPlace(&value)
        return value[0] > 0
    }

    /// Returns once every process has called it.
    public func barrier() {
        var value: [Float] = [0]
        sumInPlace(&value)
    }
}

extension ProcessGroup {
    /// Each loss term's mean over the processes (terms in key order; every process reports the
    /// same terms), so every process sees the whole batch's losses and stops on the same step.
    public func averaged(_ result: StepResult) -> StepResult {
        let keys = result.losses.keys.sorted()
        var values = keys.map { result.losses[$0]! }
        sumInPlace(&values)
        let scale = 1 / Float(size)
        return StepResult(losses: Dictionary(uniqueKeysWithValues: zip(keys, values.map { $0 * scale })))
    }
}

extension ProcessGroup {
    /// Whether every process holds the same `values` (each in `0 ..< 2^24`, exact as floats).
    public func allAgree(on values: [Int]) -> Bool {
        let mine = Tensor(shape: [1, values.count], values: values.map { Float($0 % (1 << 24)) })
        let everyone = gatherRows(mine).scalars
        return (0..<size).allSatisfy { Array(everyone[$0 * values.count ..< ($0 + 1) * values.count]) == mine.scalars }
    }
}
