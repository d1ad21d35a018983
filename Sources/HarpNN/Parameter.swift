import HarpTensor

/// A learnable tensor of a `Module`. Parameters are ordinary tensors (as in PyTorch, where
/// `nn.Parameter` is a flagged tensor); a module's `Tensor` stored properties are its parameters
/// unless marked `@Buffer` or `@Ignored`. Make them with `requiresGradient: true`.
public typealias Parameter = Tensor

/// Gives a module property the key PyTorch uses for it, so state dicts match the reference:
///
/// ```swift
/// @Keyed("attack_envelopes") var attackEnvelopes: Parameter
/// @Keyed("conv_in") var convIn: Conv1d
/// ```
///
/// Works on tensors, optional tensors, child modules and arrays or dictionaries of either. The key
/// sits beside the property it renames (no separate name table to keep in sync, no typos found
/// only at load time), and properties without it keep their Swift names.
///
/// A property declared without an initial value is set in the initialiser after `super.init()`
/// (or through `_name.wrappedValue` before it); reading it before then is a programming error.
@propertyWrapper
public struct Keyed<Value> {
    private var value: Value?
    /// The name this property has in state dicts.
    public let key: String

    public init(wrappedValue: Value, _ key: String) {
        value = wrappedValue
        self.key = key
    }

    public init(_ key: String) {
        self.key = key
    }

    public var wrappedValue: Value {
        get {
            guard let value else { preconditionFailure("module property \"\(key)\" read before it was set") }
            return value
        }
        set { value = newValue }
    }
}

/// A tensor a module keeps in its state dict but does not learn (PyTorch's `register_buffer`),
/// such as running statistics or fixed filters. Optionally renamed with `key`.
@propertyWrapper
public struct Buffer {
    private var value: Tensor?
    /// The name in state dicts, or `nil` for the Swift property name.
    public let key: String?

    public init(wrappedValue: Tensor, key: String? = nil) {
        value = wrappedValue
        self.key = key
    }

    public init(key: String? = nil) {
        self.key = key
    }

    public var wrappedValue: Tensor {
        get {
            guard let value else { preconditionFailure("module buffer \"\(key ?? "")\" read before it was set") }
            return value
        }
        set { value = newValue }
    }
}

/// A property that module reflection skips: caches, scratch tensors, back references.
@propertyWrapper
public struct Ignored<Value> {
    public var wrappedValue: Value

    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
    }
}

/// How reflection treats a stored property.
enum PropertyRole {
    /// Tensors are parameters; modules are children.
    case automatic
    /// Tensors are buffers.
    case buffer
    case ignored
}

/// What the property wrappers tell reflection, read through `Mirror`.
protocol ReflectedProperty {
    var reflectedKey: String? { get }
    var reflectedRole: PropertyRole { get }
    var reflectedValue: Any { get }
}

extension Keyed: ReflectedProperty {
    var reflectedKey: String? { key }
    var reflectedRole: PropertyRole { .automatic }
    // An unset property reflects as `nil`, which discovery skips.
    var reflectedValue: Any { value as Any }
}

extension Buffer: ReflectedProperty {
    var reflectedKey: String? { key }
    var reflectedRole: PropertyRole { .buffer }
    var reflectedValue: Any { value as Any }
}

extension Ignored: ReflectedProperty {
    var reflectedKey: String? { nil }
    var reflectedRole: PropertyRole { .ignored }
    var reflectedValue: Any { wrappedValue }
}
