import Foundation
import HarpNN
import HarpTensor

/// Updates parameters in place from their accumulated gradients (PyTorch's `torch.optim`).
///
/// ```swift
/// let optimizer = AdamW(parameters: model.parameters(), learningRate: 3e-4)
/// loss.backward()
/// optimizer.step()
/// optimizer.zeroGradients()
/// ```
public protocol Optimizer: AnyObject {
    /// The tensors updated, in the order given at creation.
    var parameters: [Tensor] { get }
    /// The learning rate of the next step; set it from a `LearningRateSchedule` each step.
    var learningRate: Double { get set }
    /// Applies one update to every parameter that has a gradient; others are left as they are.
    func step()
    /// The state needed to resume training (moments and step counts) as named tensors.
    func stateDict() -> [String: Tensor]
    /// Restores a state saved by `stateDict()` for the same parameters.
    func load(stateDict: [String: Tensor]) throws(OptimizerStateError)
}

extension Optimizer {
    /// Clears the gradients of every parameter (PyTorch's `zero_grad(set_to_none=True)`).
    public func zeroGradients() {
        for parameter in parameters { parameter.zeroGradient() }
    }

    /// Saves the optimizer state to a safetensors file at `url` (atomically).
    public func save(to url: URL) throws(OptimizerStateError) {
        do {
            try SafeTensors.write(stateDict(), metadata: ["harp.optimizer": String(describing: Self.self)], to: url)
        } catch {
            throw .file(error)
        }
    }

    /// Restores the optimizer state from a safetensors file written by `save(to:)`.
    public func load(from url: URL) throws(OptimizerStateError) {
        let tensors: [String: Tensor]
        do {
            tensors = try SafeTensorsFile(contentsOf: url).tensors()
        } catch {
            throw .file(error)
        }
        try load(stateDict: tensors)
    }
}
