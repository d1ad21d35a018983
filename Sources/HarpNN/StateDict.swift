import HarpTensor

extension Module {
    /// Every parameter and buffer with its dotted name, in discovery order. Tensors shared by two
    /// properties appear under both names, as in PyTorch's `state_dict()`.
    public func namedStateEntries() -> [(name: String, tensor: Tensor)] {
        ModuleReflection.allItems(of: self).compactMap { item in
            switch item.kind {
            case let .parameter(tensor), let .buffer(tensor): return (item.name, tensor)
            case .module: return nil
            }
        }
    }

    /// The parameters and buffers by dotted name. The tensors are the module's own (not copies):
    /// save them, or copy them before the module trains further.
    public func stateDict() -> [String: Tensor] {
        Dictionary(namedStateEntries().map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
    }

    /// Copies `stateDict`'s values into the module's tensors, in place (so optimisers holding
    /// the parameters keep working).
    ///
    /// Everything is checked before anything is copied, so a failed load leaves the module as it was.
    /// - Parameters:
    ///   - strict: when `true` (the default, as in PyTorch), missing and unexpected keys are
    ///     errors; when `false` they are skipped. Shape mismatches are always errors.
    public func load(stateDict: [String: Tensor], strict: Bool = true) throws(StateDictError) {
        let entries = namedStateEntries()
        let names = Set(entries.map(\.name))
        if strict {
            let missing = names.filter { stateDict[$0] == nil }.sorted()
            let unexpected = stateDict.keys.filter { !names.contains($0) }.sorted()
            if !missing.isEmpty || !unexpected.isEmpty {
                throw .keyMismatch(missing: missing, unexpected: unexpected)
            }
        }
        for (name, tensor) in entries {
            if let source = stateDict[name], source.shape != tensor.shape {
                throw .shapeMismatch(key: name, expected: tensor.shape, actual: source.shape)
            }
        }
        for (name, tensor) in entries {
            if let source = stateDict[name] { tensor.assign(source) }
        }
    }
}
