import HarpTensor

/// Adam's state for one parameter: torch's `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq` and `step`.
final class AdamParameterState {
    var step = 0
    let average: Tensor
    let squareAverage: Tensor
    let maximumSquareAverage: Tensor?

    init(shape: [Int], amsgrad: Bool) {
        average = Tensor.zeros(shape)
        squareAverage = Tensor.zeros(shape)
        maximumSquareAverage = amsgrad ? Tensor.zeros(shape) : nil
    }
}

extension Adam {
    /// Keys are `state.<parameter index>.<name>` with torch's names (`step`, `exp_avg`,
    /// `exp_avg_sq`, `max_exp_avg_sq`); `step` is a one-element tensor, as in torch. Parameters that
    /// have not stepped yet have no entries. The tensors are copies.
    public func stateDict() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (index, state) in states.enumerated() {
            guard let state else { continue }
            result["state.\(index).step"] = Tensor(scalar: Float(state.step))
            result["state.\(index).exp_avg"] = copy(state.average)
            result["state.\(index).exp_avg_sq"] = copy(state.squareAverage)
            if let maximum = state.maximumSquareAverage { result["state.\(index).max_exp_avg_sq"] = copy(maximum) }
        }
        return result
    }

    /// Restores moments and steps; everything is validated before anything changes.
    public func load(stateDict: [String: Tensor]) throws(OptimizerStateError) {
        var restored = [AdamParameterState?](repeating: nil, count: parameters.count)
        var used = Set<String>()
        for index in parameters.indices {
            let prefix = "state.\(index)."
            guard let stepTensor = stateDict[prefix + "step"] else { continue }
            let step = stepTensor.count == 1 ? stepTensor.item : -1
            guard step >= 0, step == step.rounded() else { throw .invalidStep(key: prefix + "step") }
            let state = AdamParameterState(shape: parameters[index].shape, amsgrad: amsgrad)
            state.step = Int(step)
            var targets = [("exp_avg", state.average), ("exp_avg_sq", state.squareAverage)]
            if let maximum = state.maximumSquareAverage { targets.append(("max_exp_avg_sq", maximum)) }
            for (name, target) in targets {
                guard let source = stateDict[prefix + name] else { throw .missingKey(prefix + name) }
                guard source.shape == target.shape else {
                    throw .shapeMismatch(key: prefix + name, expected: target.shape, actual: source.shape)
                }
                target.assign(source)
                used.insert(prefix + name)
            }
            used.insert(prefix + "step")
            restored[index] = state
        }
        if let unexpected = stateDict.keys.sorted().first(where: { !used.contains($0) }) {
            throw .unexpectedKey(unexpected)
        }
        states = restored
    }

    private func copy(_ tensor: Tensor) -> Tensor {
        let result = Tensor.zeros(tensor.shape)
        result.assign(tensor)
        return result
    }
}
