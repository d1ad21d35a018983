import HarpTensor

/// One tensor or child module found by reflecting over a module's stored properties.
struct ReflectedItem {
    enum Kind { case parameter(Tensor), buffer(Tensor), module(Module) }
    /// The dotted PyTorch-style path from the module reflected on (`layers.0.weight`).
    let name: String
    let kind: Kind
}

/// Walks a module's stored properties with `Mirror`, in declaration order (superclass first):
/// tensors, optionals, child modules, arrays (indexed `name.0`) and dictionaries (keyed
/// `name.key`, in key order) of them. Properties of other types are skipped.
struct ModuleReflection {
    /// Modules on the current path, so a back reference cannot loop forever.
    private var ancestors: Set<ObjectIdentifier> = []

    /// The direct tensors and children of `module` (not recursing into the children).
    static func directItems(of module: Module) -> [ReflectedItem] {
        var reflection = ModuleReflection()
        var items: [ReflectedItem] = []
        reflection.properties(of: module, prefix: "", recursive: false, into: &items)
        return items
    }

    /// Every tensor of `module` and its descendants, and every descendant module, depth first.
    static func allItems(of module: Module) -> [ReflectedItem] {
        var reflection = ModuleReflection()
        var items: [ReflectedItem] = []
        reflection.properties(of: module, prefix: "", recursive: true, into: &items)
        return items
    }

    private mutating func properties(of module: Module, prefix: String, recursive: Bool, into items: inout [ReflectedItem]) {
        guard ancestors.insert(ObjectIdentifier(module)).inserted else { return }
        defer { ancestors.remove(ObjectIdentifier(module)) }
        for mirror in Self.mirrorChain(module) {
            for child in mirror.children {
                guard let label = child.label else { continue }
                var (name, role, value) = (label, PropertyRole.automatic, child.value)
                if let wrapper = value as? ReflectedProperty {
                    // A wrapped property's storage is named `_label`.
                    name = wrapper.reflectedKey ?? String(label.dropFirst())
                    role = wrapper.reflectedRole
                    value = wrapper.reflectedValue
                }
                guard role != .ignored else { continue }
                collect(value, path: prefix + name, role: role, recursive: recursive, into: &items)
            }
        }
    }

    private mutating func collect(_ value: Any, path: String, role: PropertyRole, recursive: Bool,
                                  into items: inout [ReflectedItem]) {
        if let tensor = value as? Tensor {
            items.append(ReflectedItem(name: path, kind: role == .buffer ? .buffer(tensor) : .parameter(tensor)))
            return
        }
        if let module = value as? Module {
            items.append(ReflectedItem(name: path, kind: .module(module)))
            if recursive { properties(of: module, prefix: path + ".", recursive: true, into: &items) }
            return
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            if let wrapped = mirror.children.first {
                collect(wrapped.value, path: path, role: role, recursive: recursive, into: &items)
            }
        case .collection where Self.mayHoldModuleState(mirror):
            for (index, element) in mirror.children.enumerated() {
                collect(element.value, path: "\(path).\(index)", role: role, recursive: recursive, into: &items)
            }
        case .dictionary where Self.mayHoldModuleState(mirror):
            for (key, element) in Self.sortedEntries(mirror) {
                collect(element, path: "\(path).\(key)", role: role, recursive: recursive, into: &items)
            }
        default:
            return
        }
    }

    /// Whether a collection's elements can be tensors or modules, judged by its first element,
    /// so large arrays of numbers are not walked element by element.
    private static func mayHoldModuleState(_ mirror: Mirror) -> Bool {
        guard let first = mirror.children.first?.value else { return false }
        var element = first
        if mirror.displayStyle == .dictionary, let value = Mirror(reflecting: first).children.dropFirst().first {
            element = value.value
        }
        if element is Tensor || element is Module { return true }
        let style = Mirror(reflecting: element).displayStyle
        return style == .optional || style == .collection || style == .dictionary
    }

    /// A dictionary's entries as (key text, value), in key order so names are deterministic.
    private static func sortedEntries(_ mirror: Mirror) -> [(String, Any)] {
        let entries = mirror.children.compactMap { pair -> (String, Any)? in
            let parts = Array(Mirror(reflecting: pair.value).children)
            guard parts.count == 2 else { return nil }
            return ("\(parts[0].value)", parts[1].value)
        }
        return entries.sorted { $0.0 < $1.0 }
    }

    /// The mirrors of a module's class and superclasses, base class first.
    private static func mirrorChain(_ module: Module) -> [Mirror] {
        var chain: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: module)
        while let current = mirror {
            chain.append(current)
            mirror = current.superclassMirror
        }
        return chain.reversed()
    }
}
