import HarpTensor

/// The activations the reference's `get_act_fn` names (`harp/modeling/util.py`): plain ones, and
/// gated linear units whose input is split in two halves `[x, g]` along an axis, giving
/// `x · act(g)` (SwiGLU is `swiglu`: `x · silu(g)`).
public enum Activation: Equatable, Sendable {
    case silu, gelu, relu, identity
    /// A gated unit with the given inner activation on the gate.
    indirect case gated(Activation)

    /// Parses `swiglu`, `geglu`, `reglu`, `glu`, `swish`, `silu`, `gelu`, `relu`; `nil` for others
    /// (Snake gates are not supported: they carry parameters).
    public init?(name: String) {
        switch name {
        case "swish", "silu": self = .silu
        case "gelu": self = .gelu
        case "relu": self = .relu
        case "swiglu": self = .gated(.silu)
        case "geglu": self = .gated(.gelu)
        case "reglu": self = .gated(.relu)
        case "glu": self = .gated(.identity)
        default: return nil
        }
    }

    /// Whether the input is twice as wide as the output.
    public var isGated: Bool { if case .gated = self { return true } else { return false } }

    /// Applies the activation; gated units split `x` along `axis`.
    public func callAsFunction(_ x: Tensor, axis: Int = -1) -> Tensor {
        switch self {
        case .silu: return x * x.sigmoid()
        case .gelu: return x.gelu()
        case .relu: return x.relu()
        case .identity: return x
        case .gated(let inner):
            let resolved = axis < 0 ? axis + x.rank : axis
            let half = x.shape[resolved] / 2
            let parts = x.split(sizes: [half, half], alongAxis: resolved)
            return parts[0] * inner(parts[1])
        }
    }
}
