import HarpNN
import HarpTensor

/// An exponential moving average of a module's parameters, for evaluating with smoothed weights
/// (torch's `AveragedModel` with `get_ema_multi_avg_fn(decay)`):
///
///     average ← average + (1 − decay) · (parameter − average)      (torch's `lerp_`)
///
/// ```swift
/// let ema = ExponentialMovingAverage(module: model, decay: 0.999)
/// optimizer.step(); ema.update()
/// ema.swap()          // evaluate with the averages …
/// ema.swap()          // … and swap the training weights back
/// ```
public final class ExponentialMovingAverage {
    public let decay: Double
    /// The averaged parameters by the module's parameter names.
    public let averages: [(name: String, tensor: Tensor)]
    private let parameters: [Tensor]

    /// Starts the averages at the module's current parameters.
    public init(module: Module, decay: Double) {
        precondition((0...1).contains(decay), "ExponentialMovingAverage: decay must be in [0, 1]")
        self.decay = decay
        let named = module.namedParameters()
        parameters = named.map(\.tensor)
        averages = named.map { name, tensor in
            let copy = Tensor.zeros(tensor.shape)
            copy.assign(tensor)
            return (name, copy)
        }
    }

    /// Moves each average towards its parameter's current value.
    public func update() {
        let weight = Float(1 - decay)
        for ((_, average), parameter) in zip(averages, parameters) {
            parameter.withUnsafeBufferPointer { current in
                average.withUnsafeMutableBufferPointer { smoothed in
                    for i in smoothed.indices {
                        // torch's lerp, both branches, for bit-identical averages.
                        smoothed[i] = weight < 0.5
                            ? smoothed[i] + weight * (current[i] - smoothed[i])
                            : current[i] - (current[i] - smoothed[i]) * (1 - weight)
                    }
                }
            }
        }
    }

    /// Copies the averages into the module's parameters (for export or final evaluation).
    public func copyAverages() {
        for ((_, average), parameter) in zip(averages, parameters) { parameter.assign(average) }
    }

    /// Exchanges the averages and the module's parameters; call again to swap back.
    public func swap() {
        for ((_, average), parameter) in zip(averages, parameters) {
            average.withUnsafeMutableBufferPointer { a in
                parameter.withUnsafeMutableBufferPointer { p in
                    for i in a.indices { (a[i], p[i]) = (p[i], a[i]) }
                }
            }
        }
    }

    /// The averages as a state dict with the module's names, to save beside the optimizer state.
    public func stateDict() -> [String: Tensor] {
        Dictionary(averages.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
    }

    /// Restores averages saved by `stateDict()` for a module with the same parameters.
    public func load(stateDict: [String: Tensor]) throws(OptimizerStateError) {
        let known = Set(averages.map(\.name))
        if let extra = stateDict.keys.sorted().first(where: { !known.contains($0) }) { throw .unexpectedKey(extra) }
        for (name, average) in averages {
            guard let saved = stateDict[name] else { throw .missingKey(name) }
            guard saved.shape == average.shape else {
                throw .shapeMismatch(key: name, expected: average.shape, actual: saved.shape)
            }
            average.assign(saved)
        }
    }
}
