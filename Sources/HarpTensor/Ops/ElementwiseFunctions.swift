import Foundation

// The per-value functions behind the element-wise ops and their pullbacks. Each is a small struct
// so that `ElementwiseKernel` specialises a loop for it (see `UnaryElementwise`).

// MARK: - Binary arithmetic

struct Add: BinaryElementwise {
    @inline(__always) func scalar(_ a: Float, _ b: Float) -> Float { a + b }
    @inline(__always) func vector(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a + b }
}

struct Subtract: BinaryElementwise {
    @inline(__always) func scalar(_ a: Float, _ b: Float) -> Float { a - b }
    @inline(__always) func vector(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a - b }
}

struct Multiply: BinaryElementwise {
    @inline(__always) func scalar(_ a: Float, _ b: Float) -> Float { a * b }
    @inline(__always) func vector(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a * b }
}

struct Divide: BinaryElementwise {
    @inline(__always) func scalar(_ a: Float, _ b: Float) -> Float { a / b }
    @inline(__always) func vector(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a / b }
}

/// IEEE maximum that propagates NaN, as `torch.maximum` does.
struct Maximum: BinaryElementwise {
    @inline(__always) func scalar(_ a: Float, _ b: Float) -> Float { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
    @inline(__always) func vector(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        a.replacing(with: b, where: b .> a).replacing(with: .nan, where: (a .!= a) .| (b .!= b))
    }
}

struct Minimum: BinaryElementwise {
    @inline(__always) func scalar(_ a: Float, _ b: Float) -> Float { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }
    @inline(__always) func vector(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        a.replacing(with: b, where: b .< a).replacing(with: .nan, where: (a .!= a) .| (b .!= b))
    }
}

struct Power: BinaryElementwise {
    @inline(__always) func scalar(_ a: Float, _ b: Float) -> Float { Foundation.pow(a, b) }
}

struct ArcTangent2: BinaryElementwise {
    @inline(__always) func scalar(_ y: Float, _ x: Float) -> Float { Foundation.atan2(y, x) }
}

/// The share of a `maximum`'s gradient that goes to `a`: all when `a` wins, half on a tie
/// (PyTorch's convention), none when it loses.
struct MaximumShare: BinaryElementwise {
    @inline(__always) func scalar(_ a: Float, _ b: Float) -> Float { a > b ? 1 : (a == b ? 0.5 : 0) }
}

/// `b · a^(b−1)`, the derivative of `a^b` in `a`; 0 where `b` is 0 (PyTorch's convention).
struct PowerBaseDerivative: BinaryElementwise {
    @inline(__always) func scalar(_ a: Float, _ b: Float) -> Float { b == 0 ? 0 : b * Foundation.pow(a, b - 1) }
}

/// `a^b · ln a`, the derivative of `a^b` in `b`; 0 where `a` is 0 and `b ≥ 0` (PyTorch's convention).
struct PowerExponentDerivative: BinaryElementwise {
    @inline(__always) func scalar(_ a: Float, _ b: Float) -> Float { a == 0 && b >= 0 ? 0 : Foundation.pow(a, b) * Foundation.log(a) }
}

// MARK: - Comparison (1 where true, 0 where false)

struct Comparison: BinaryElementwise {
    enum Relation { case less, lessOrEqual, greater, greaterOrEqual, equal, notEqual }
    let relation: Relation
    @inline(__always) func scalar(_ a: Float, _ b: Float) -> Float {
        let holds: Bool
        switch relation {
        case .less: holds = a < b
        case .lessOrEqual: holds = a <= b
        case .greater: holds = a > b
        case .greaterOrEqual: holds = a >= b
        case .equal: holds = a == b
        case .notEqual: holds = a != b
        }
        return holds ? 1 : 0
    }
}
