import HarpTensor
import Testing

/// Compares the gradients autograd records with finite differences.
///
/// A function `f: [Tensor] → Tensor` of any output shape is projected to a scalar
/// φ(x) = Σ w ⊙ f(x) with a fixed random cotangent `w` (so one backward pass, seeded with `w`,
/// gives ∇φ, and a scalar-valued `f` is the special case). Then, for each input, either every
/// component (inputs of at most `fullJacobianLimit` values: the full vector–Jacobian product) or
/// `directions` random directions v (larger inputs: ∇φ·v) is compared with a central difference.
///
/// Two ways to evaluate φ for the differences:
/// - `check` evaluates `f` itself, in Float32. Error budget with ε = 2⁻²⁴ ≈ 6e-8: rounding in the
///   outputs contributes about ε·‖w⊙y‖ / h to the difference quotient, truncation about h²·|φ'''|/6.
///   With the step h = `stepFraction` × the input's RMS (1e-2 by default; never below 1e-3) both are
///   ≲ 1e-4 relative for smooth ops on O(1) data, so the default tolerance `relative 1e-2,
///   absolute 1e-3` leaves a ×50–100 margin while still catching a wrong factor or sign.
///   Inputs must sit further than h from kinks (relu/abs/clamp at 0 or the bounds, ties in max).
/// - `checkAgainstReference` evaluates a naive Double implementation of `f` supplied by the test,
///   with h = 1e-6 × scale, so the differences are exact to ~1e-9 and the only error left is
///   Float32 rounding in the op and its pullback: tolerance `relative 1e-4, absolute 1e-5`.
///   STYLE.md asks for Float64 differences where possible; use this for element-wise ops.
public enum GradientChecker {
    /// Finite differences of `f` in Float32. See the type's documentation for the tolerances.
    /// `checking` limits the check to some inputs (others, like a mask, are not differentiable).
    public static func check(
        _ inputs: [Tensor], relative: Double = 1e-2, absolute: Double = 1e-3, stepFraction: Double = 1e-2,
        fullJacobianLimit: Int = 48, directions: Int = 4, seed: UInt64 = 7, checking: Set<Int>? = nil,
        _ context: String = "", sourceLocation: SourceLocation = #_sourceLocation, _ f: @escaping ([Tensor]) -> Tensor
    ) {
        let evaluate: ([[Float]]) -> [Double] = { values in
            let tensors = zip(inputs, values).map { Tensor(shape: $0.shape, values: $1) }
            return withoutGradients { f(tensors).scalars.map(Double.init) }
        }
        run(inputs, relative: relative, absolute: absolute, fullJacobianLimit: fullJacobianLimit, directions: directions,
            seed: seed, checking: checking, context: context, sourceLocation: sourceLocation, f: f) { values, index in
            let rms = (values[index].reduce(0) { $0 + Double($1) * Double($1) } / Double(Swift.max(values[index].count, 1))).squareRoot()
            return (Swift.max(rms, 0.1) * stepFraction, { evaluate($0.map { $0.map { Float($0) } }) })
        }
    }

    /// Finite differences of `reference`, a Double implementation of `f` over row-major values
    /// (same input order, same output layout). Also checks that `f` matches `reference` forward.
    public static func checkAgainstReference(
        _ inputs: [Tensor], relative: Double = 1e-4, absolute: Double = 1e-5,
        fullJacobianLimit: Int = 64, directions: Int = 4, seed: UInt64 = 7, _ context: String = "",
        sourceLocation: SourceLocation = #_sourceLocation,
        reference: @escaping ([[Double]]) -> [Double], _ f: @escaping ([Tensor]) -> Tensor
    ) {
        let forward = withoutGradients { f(inputs) }.scalars
        let expected = reference(inputs.map { $0.scalars.map(Double.init) }).map { Float($0) }
        expectClose(forward, expected, relative: 1e-5, absolute: 1e-6, "\(context) forward vs Double reference",
                    sourceLocation: sourceLocation)
        run(inputs, relative: relative, absolute: absolute, fullJacobianLimit: fullJacobianLimit, directions: directions,
            seed: seed, checking: nil, context: context, sourceLocation: sourceLocation, f: f) { values, index in
            let scale = values[index].reduce(0.0) { Swift.max($0, Swift.abs(Double($1))) }
            return (Swift.max(scale, 1) * 1e-6, reference)
        }
    }

    /// The shared procedure. `differencing(values, inputIndex)` returns the step for that input
    /// and the function whose central differences are taken.
    private static func run(
        _ inputs: [Tensor], relative: Double, absolute: Double, fullJacobianLimit: Int, directions: Int,
        seed: UInt64, checking: Set<Int>?, context: String, sourceLocation: SourceLocation, f: ([Tensor]) -> Tensor,
        differencing: ([[Double]], Int) -> (Double, ([[Double]]) -> [Double])
    ) {
        let leaves = inputs.map { Tensor(shape: $0.shape, values: $0.scalars, requiresGradient: true) }
        let output = f(leaves)
        var generator = RandomGenerator(seed: seed)
        let cotangent = Tensor.normal(output.shape, generator: &generator)
        let w = cotangent.scalars.map(Double.init)
        guard output.requiresGradient else {
            Issue.record("\(context) output does not depend on the inputs", sourceLocation: sourceLocation)
            return
        }
        output.backward(seed: cotangent)
        let values = inputs.map { $0.scalars.map(Double.init) }
        for index in inputs.indices where checking?.contains(index) ?? true {
            let analytic = leaves[index].grad?.scalars.map(Double.init) ?? [Double](repeating: 0, count: inputs[index].count)
            let (h, function) = differencing(values, index)
            let phi: ([Double]) -> Double = { perturbed in
                var all = values
                all[index] = perturbed
                return zip(w, function(all)).reduce(0) { $0 + $1.0 * $1.1 }
            }
            let probes: [[Double]] = inputs[index].count <= fullJacobianLimit
                ? (0..<inputs[index].count).map { i in (0..<inputs[index].count).map { $0 == i ? 1 : 0 } }
                : (0..<directions).map { _ in Tensor.normal([inputs[index].count], generator: &generator).scalars.map(Double.init) }
            for (p, v) in probes.enumerated() {
                let plus = zip(values[index], v).map { $0 + h * $1 }, minus = zip(values[index], v).map { $0 - h * $1 }
                let numeric = (phi(plus) - phi(minus)) / (2 * h)
                let exact = zip(analytic, v).reduce(0) { $0 + $1.0 * $1.1 }
                let scale = zip(analytic, v).reduce(0) { $0 + Swift.abs($1.0 * $1.1) }
                if Swift.abs(numeric - exact) > absolute + relative * Swift.max(scale, Swift.abs(numeric)) {
                    let what = inputs[index].count <= fullJacobianLimit
                        ? "∂/∂x[\(multiIndex(p, in: inputs[index].shape))]" : "direction \(p)"
                    Issue.record("""
                        \(context) input \(index) \(inputs[index].shape) \(what): autograd \(exact), \
                        finite difference \(numeric) (h \(h))
                        """, sourceLocation: sourceLocation)
                    return
                }
            }
        }
    }
}
