// Internal plumbing shared by the element-wise ops: apply a function to fresh result tensors,
// without recording (the public ops record their own pullbacks).

extension Tensor {
    /// `f(self)` value by value.
    func mapped<Op: UnaryElementwise>(_ op: Op) -> Tensor {
        Tensor(shape: shape) { out in
            withUnsafeBufferPointer { x in
                ElementwiseKernel.map(op, x.baseAddress!, out.baseAddress!, count: out.count)
            }
        }
    }

    /// `f(self, other)` with NumPy broadcasting; the result has the broadcast shape.
    func zipped<Op: BinaryElementwise>(_ other: Tensor, _ op: Op) -> Tensor {
        guard let shape = Shape.broadcast(self.shape, other.shape) else {
            preconditionFailure("shapes \(self.shape) and \(other.shape) do not broadcast")
        }
        return Tensor(shape: shape) { out in
            guard out.count > 0 else { return }
            withUnsafeBufferPointer { a in
                other.withUnsafeBufferPointer { b in
                    if self.shape == other.shape {
                        ElementwiseKernel.zip(op, a.baseAddress!, b.baseAddress!, out.baseAddress!, count: out.count)
                    } else {
                        let layout = BroadcastLayout(output: shape, a: self.shape, b: other.shape)
                        ElementwiseKernel.broadcastZip(op, a.baseAddress!, b.baseAddress!, out.baseAddress!, layout: layout)
                    }
                }
            }
        }
    }

    /// Records a unary op whose gradient is `g · derivative(x)`, with `derivative` computed from
    /// the input when the pullback runs.
    func recordingUnary<Op: UnaryElementwise, Derivative: UnaryElementwise>(
        _ name: String, _ op: Op, derivative: Derivative
    ) -> Tensor {
        Tensor.recording(name, result: mapped(op), inputs: [self]) { [self] g in
            [g.zipped(mapped(derivative), Multiply())]
        }
    }

    /// Sums a broadcast result's gradient back to an operand's `shape`: over the leading axes the
    /// operand lacks and over the axes where it had size 1.
    public func reduced(toShape target: [Int]) -> Tensor {
        guard shape != target else { return self }
        let extra = rank - target.count
        precondition(extra >= 0, "cannot reduce \(shape) to the larger rank of \(target)")
        let axes = (0..<rank).filter { axis in
            axis < extra || (target[axis - extra] == 1 && shape[axis] != 1)
        }
        return sum(alongAxes: axes, keepDims: true).reshaped(target)
    }
}
