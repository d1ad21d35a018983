import Foundation

// The per-value functions behind the unary ops and their derivatives (see `UnaryElementwise`).
// Derivative helpers that need the op's input and the incoming gradient are binary: (g, x) → g·f'(x).

struct Negate: UnaryElementwise {
    @inline(__always) func scalar(_ x: Float) -> Float { -x }
    @inline(__always) func vector(_ x: SIMD16<Float>) -> SIMD16<Float> { -x }
}

struct Exponential: UnaryElementwise {
    @inline(__always) func scalar(_ x: Float) -> Float { Foundation.exp(x) }
    @inline(__always) func vector(_ x: SIMD16<Float>) -> SIMD16<Float> { VectorMath.exp(x) }
}

struct Logarithm: UnaryElementwise {
    @inline(__always) func scalar(_ x: Float) -> Float { Foundation.log(x) }
}

struct Sine: UnaryElementwise {
    @inline(__always) func scalar(_ x: Float) -> Float { Foundation.sin(x) }
}

struct Cosine: UnaryElementwise {
    @inline(__always) func scalar(_ x: Float) -> Float { Foundation.cos(x) }
}

struct HyperbolicTangent: UnaryElementwise {
    @inline(__always) func scalar(_ x: Float) -> Float { Foundation.tanh(x) }
    @inline(__always) func vector(_ x: SIMD16<Float>) -> SIMD16<Float> { VectorMath.tanh(x) }
}

struct Sigmoid: UnaryElementwise {
    @inline(__always) func scalar(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }
    @inline(__always) func vector(_ x: SIMD16<Float>) -> SIMD16<Float> { VectorMath.sigmoid(x) }
}

struct SquareRoot: UnaryElementwise {
    @inline(__always) func scalar(_ x: Float) -> Float { x.squareRoot() }
    @inline(__always) func vector(_ x: SIMD16<Float>) -> SIMD16<Float> { x.squareRoot() }
}

struct Square: UnaryElementwise {
    @inline(__always) func scalar(_ x: Float) -> Float { x * x }
    @inline(__always) func vector(_ x: SIMD16<Float>) -> SIMD16<Float> { x * x }
}

struct AbsoluteValue: UnaryElementwise {
    @inline(__always) func scalar(_ x: Float) -> Float { Swift.abs(x) }
    @inline(__always) func vector(_ x: SIMD16<Float>) -> SIMD16<Float> { x.replacing(with: -x, where: x .< 0) }
}

/// sign(x) ∈ {−1, 0, 1}: the derivative of |x| (0 at 0, as in PyTorch).
struct Sign: UnaryElementwise {
    @inline(__always) func scalar(_ x: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : 0) }
}

/// max(x, 0), keeping NaN.
struct Rectifier: UnaryElementwise {
    @inline(__always) func scalar(_ x: Float) -> Float { x < 0 ? 0 : x }
    @inline(__always) func vector(_ x: SIMD16<Float>) -> SIMD16<Float> { x.replacing(with: 0, where: x .< 0) }
}

struct Clamp: UnaryElementwise {
    let low: Float
    let high: Float
    @inline(__always) func scalar(_ x: Float) -> Float { x < low ? low : (x > high ? high : x) }
    @inline(__always) func vector(_ x: SIMD16<Float>) -> SIMD16<Float> {
        x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
    }
}

/// x^p for a constant exponent p.
struct ConstantPower: UnaryElementwise {
    let exponent: Float
    @inline(__always) func scalar(_ x: Float) -> Float { Foundation.pow(x, exponent) }
}

/// x·Φ(x) = ½x(1 + erf(x/√2)) (the exact GELU, PyTorch's default `approximate="none"`).
struct GaussianErrorLinear: UnaryElementwise {
    @inline(__always) func scalar(_ x: Float) -> Float { 0.5 * x * (1 + Foundation.erf(x * 0.70710678118654752)) }
}

/// d/dx x·Φ(x) = Φ(x) + x·φ(x).
struct GaussianErrorLinearDerivative: UnaryElementwise {
    @inline(__always) func scalar(_ x: Float) -> Float {
        let cdf = 0.5 * (1 + Foundation.erf(x * 0.70710678118654752))
        return cdf + x * Foundation.exp(-0.5 * x * x) * 0.39894228040143268
    }
}

/// x for x > 0, α(e^x − 1) otherwise.
struct ExponentialLinear: UnaryElementwise {
    let alpha: Float
    @inline(__always) func scalar(_ x: Float) -> Float { x > 0 ? x : alpha * Foundation.expm1(x) }
    /// eˣ − 1 from the vector exp, except near 0 (where the subtraction cancels) from its Taylor
    /// series to x⁵ (relative error below 2e-8 for |x| < 0.1); NaN stays NaN.
    @inline(__always) func vector(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let negative = x.replacing(with: 0, where: x .> 0)
        let c5: Float = 1 / 120, c4: Float = 1 / 24, c3: Float = 1 / 6, c2: Float = 0.5
        var series: SIMD16<Float> = negative * c5 + c4
        series = negative * series + c3
        series = negative * series + c2
        series = negative * series + 1
        series = negative * series
        let expm1 = (VectorMath.exp(negative) - 1).replacing(with: series, where: negative .> -0.1)
        return (alpha * expm1).replacing(with: x, where: x .> 0)
    }
}

/// 1 for x > 0, αe^x otherwise.
struct ExponentialLinearDerivative: UnaryElementwise {
    let alpha: Float
    @inline(__always) func scalar(_ x: Float) -> Float { x > 0 ? 1 : alpha * Foundation.exp(x) }
}

/// 1 where `low ≤ x ≤ high` (bounds included, as PyTorch's clamp passes gradient there), else 0.
struct InsideMask: UnaryElementwise {
    let low: Float
    let high: Float
    @inline(__always) func scalar(_ x: Float) -> Float { x >= low && x <= high ? 1 : 0 }
}

// MARK: - Pullback helpers (g, y) → g·f'(x) written in terms of the output y

/// g·(1 − y²): tanh's pullback from its output.
struct TanhPullback: BinaryElementwise {
    @inline(__always) func scalar(_ g: Float, _ y: Float) -> Float { g * (1 - y * y) }
    @inline(__always) func vector(_ g: SIMD16<Float>, _ y: SIMD16<Float>) -> SIMD16<Float> { g * (1 - y * y) }
}

/// g·y(1 − y): sigmoid's pullback from its output.
struct SigmoidPullback: BinaryElementwise {
    @inline(__always) func scalar(_ g: Float, _ y: Float) -> Float { g * y * (1 - y) }
    @inline(__always) func vector(_ g: SIMD16<Float>, _ y: SIMD16<Float>) -> SIMD16<Float> { g * y * (1 - y) }
}

/// g where x > 0, else 0 (relu's pullback; 0 at 0 as in PyTorch).
struct RectifierPullback: BinaryElementwise {
    @inline(__always) func scalar(_ g: Float, _ x: Float) -> Float { x > 0 ? g : 0 }
    @inline(__always) func vector(_ g: SIMD16<Float>, _ x: SIMD16<Float>) -> SIMD16<Float> { g.replacing(with: 0, where: x .<= 0) }
}
