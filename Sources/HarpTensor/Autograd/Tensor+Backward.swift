extension Tensor {
    /// Back-propagates from this tensor: walks the recorded graph once in reverse topological
    /// order and adds d(self)/d(leaf) × `seed` into `grad` of every leaf that requires one.
    ///
    /// - Parameter seed: the gradient of the final objective with respect to `self`; defaults to
    ///   1 for a one-element tensor.
    public func backward(seed: Tensor? = nil) {
        precondition(requiresGradient, "backward() on a tensor that does not require a gradient")
        let start = seed ?? {
            precondition(count == 1, "backward() without a seed needs a one-element tensor, got \(shape)")
            return Tensor(shape: shape, repeating: 1)
        }()
        precondition(start.shape == shape, "seed shape \(start.shape) ≠ \(shape)")
        withoutGradients {
            var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): start]
            for tensor in topologicallySorted().reversed() {
                guard let gradient = pending.removeValue(forKey: ObjectIdentifier(tensor)) else { continue }
                guard let node = tensor.gradientNode else {
                    tensor.accumulateGradient(gradient)
                    continue
                }
                let inputGradients = node.pullback(gradient)
                precondition(inputGradients.count == node.inputs.count, "\(node.name): pullback arity")
                for (input, inputGradient) in zip(node.inputs, inputGradients) {
                    guard input.requiresGradient, let inputGradient else { continue }
                    precondition(inputGradient.shape == input.shape,
                                 "\(node.name): gradient \(inputGradient.shape) for input \(input.shape)")
                    let key = ObjectIdentifier(input)
                    pending[key] = pending[key].map { $0.summedWith(inputGradient) } ?? inputGradient
                }
            }
        }
    }

    /// Adds `gradient` into `grad` (leaves accumulate across `backward()` calls, as in PyTorch).
    func accumulateGradient(_ gradient: Tensor) {
        grad = grad.map { $0.summedWith(gradient) } ?? gradient.detached()
    }

    /// The tensors this one depends on through recorded ops, each before its users.
    func topologicallySorted() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        // Iterative depth-first search: graphs of long training steps can be deep.
        var stack: [(tensor: Tensor, expanded: Bool)] = [(self, false)]
        while let (tensor, expanded) = stack.popLast() {
            if expanded { order.append(tensor); continue }
            guard visited.insert(ObjectIdentifier(tensor)).inserted else { continue }
            stack.append((tensor, true))
            for input in tensor.gradientNode?.inputs ?? [] where input.requiresGradient {
                if !visited.contains(ObjectIdentifier(input)) { stack.append((input, false)) }
            }
        }
        return order
    }

    /// `self + other` for equal shapes, kept here so that autograd does not depend on the ops layer.
    func summedWith(_ other: Tensor) -> Tensor {
        precondition(shape == other.shape, "gradient shapes differ: \(shape) vs \(other.shape)")
        return Tensor(shape: shape) { out in
            withUnsafeBufferPointer { a in
                other.withUnsafeBufferPointer { b in
                    for i in 0..<out.count { out[i] = a[i] + b[i] }
                }
            }
        }
    }

    /// Clears the accumulated gradient (PyTorch's `zero_grad(set_to_none=True)`).
    public func zeroGradient() { grad = nil }
}
