import HarpTensor

/// The base class of every layer and model: a container of parameters, buffers and child modules
/// that are found by reflection over stored properties (as in mlx-swift's `Module`), named the way
/// PyTorch names them (`layers.0.attack_envelopes`).
///
/// ```swift
/// final class Block: Module {
///     @Keyed("attack_envelopes") var attackEnvelopes = Tensor.zeros([4, 16], requiresGradient: true)
///     let layers: [Linear]
///     @Buffer var window: Tensor
///     @Ignored var cache: Tensor? = nil
/// }
/// ```
///
/// Discovery rules: a `Tensor` property is a parameter (a buffer under `@Buffer`); a `Module`
/// property is a child; optionals, arrays (`name.0`) and dictionaries (`name.key`, in key order) of
/// these are followed; `@Keyed` renames, `@Ignored` hides; anything else (configs, numbers) is
/// skipped. Order is declaration order, superclass first, depth first — PyTorch's order when the
/// Swift properties are declared in the order the reference registers them.
open class Module {
    /// Whether the module is in training mode (dropout active, norms update statistics).
    public private(set) var isTraining = true

    public init() {}

    /// Sets training mode on this module and every descendant (PyTorch's `train(mode)`).
    public func train(_ training: Bool = true) {
        isTraining = training
        for (_, child) in namedModules() where child !== self { child.isTraining = training }
    }

    /// Sets evaluation mode on this module and every descendant.
    public func eval() { train(false) }

    /// The parameters with their dotted names, each tensor once (a tensor shared by two
    /// properties keeps its first name), in discovery order.
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        var seen = Set<ObjectIdentifier>()
        return ModuleReflection.allItems(of: self).compactMap { item in
            guard case let .parameter(tensor) = item.kind, seen.insert(ObjectIdentifier(tensor)).inserted else { return nil }
            return (item.name, tensor)
        }
    }

    /// The parameters in discovery order, each once: what an optimiser updates.
    public func parameters() -> [Tensor] {
        namedParameters().map(\.tensor)
    }

    /// The buffers with their dotted names, in discovery order.
    public func namedBuffers() -> [(name: String, tensor: Tensor)] {
        ModuleReflection.allItems(of: self).compactMap { item in
            guard case let .buffer(tensor) = item.kind else { return nil }
            return (item.name, tensor)
        }
    }

    /// The direct child modules with their names.
    public func namedChildren() -> [(name: String, module: Module)] {
        ModuleReflection.directItems(of: self).compactMap { item in
            guard case let .module(module) = item.kind else { return nil }
            return (item.name, module)
        }
    }

    /// This module (named `""`) and every descendant, depth first.
    public func namedModules() -> [(name: String, module: Module)] {
        let descendants = ModuleReflection.allItems(of: self).compactMap { item -> (name: String, module: Module)? in
            guard case let .module(module) = item.kind else { return nil }
            return (item.name, module)
        }
        return [("", self)] + descendants
    }

    /// Clears the gradients of every parameter (PyTorch's `zero_grad(set_to_none=True)`).
    public func zeroGradients() {
        for parameter in parameters() { parameter.zeroGradient() }
    }
}
