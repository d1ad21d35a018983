import HarpTensor

/// The scalars of one Adam/AdamW update, precomputed in `Double` as torch does in Python and
/// rounded to `Float` once, so the per-element arithmetic matches torch's float32 kernels.
struct AdamStepConstants {
    /// L2 penalty added to the gradient (Adam's `weight_decay`), or 0.
    var gradientDecay: Float
    /// Factor applied to the parameter before the update (AdamW: `1 - lr * weight_decay`), or 1.
    var parameterScale: Float
    /// `1 - beta1`, the weight of `lerp(exp_avg, grad, 1 - beta1)`.
    var averageWeight: Float
    var beta2: Float
    var oneMinusBeta2: Float
    /// `sqrt(1 - beta2^t)`.
    var secondMomentCorrection: Float
    var epsilon: Float
    /// `-lr / (1 - beta1^t)`.
    var negativeStepSize: Float
}

/// The fused Adam update over raw buffers: one pass reads the parameter, gradient and moments and
/// writes them back, where torch's foreach path makes about seven passes. Large tensors are split
/// across cores.
///
/// ref: torch/optim/adam.py `_single_tensor_adam` (the formula, element for element):
///   g += wd·p (Adam) | p *= 1 − lr·wd (AdamW);  m = lerp(m, g, 1 − β1);  v = β2·v + (1 − β2)·g·g;
///   v̂ = max(v̂, v) (amsgrad);  p += −(lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
enum AdamKernel {
    /// Elements per parallel chunk: below this, threading costs more than it saves.
    static let minimumChunk = 1 << 16

    static func update(
        parameter: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
        average: UnsafeMutablePointer<Float>, squareAverage: UnsafeMutablePointer<Float>,
        maximumSquareAverage: UnsafeMutablePointer<Float>?, count: Int, constants: AdamStepConstants
    ) {
        Parallel.forEachChunk(count: count, minimumChunk: minimumChunk) { range in
            let simdEnd = range.lowerBound + (range.count / 8) * 8
            var i = range.lowerBound
            while i < simdEnd {
                updateVector(at: i, parameter, gradient, average, squareAverage, maximumSquareAverage, constants)
                i += 8
            }
            while i < range.upperBound {
                updateScalar(at: i, parameter, gradient, average, squareAverage, maximumSquareAverage, constants)
                i += 1
            }
        }
    }

    @inline(__always)
    private static func updateVector(
        at i: Int, _ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
        _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
        _ vMax: UnsafeMutablePointer<Float>?, _ c: AdamStepConstants
    ) {
        typealias Vector = SIMD8<Float>
        let load = { (pointer: UnsafePointer<Float>) in UnsafeRawPointer(pointer + i).loadUnaligned(as: Vector.self) }
        var param = load(p)
        var grad = load(g)
        // Skipped when zero (not multiplied by 0), so an infinite parameter does not become NaN.
        if c.gradientDecay != 0 { grad += c.gradientDecay * param }
        if c.parameterScale != 1 { param *= c.parameterScale }
        let mean = lerp(load(m), grad, c.averageWeight)
        let square = load(v) * c.beta2 + c.oneMinusBeta2 * grad * grad
        var second = square
        if let vMax {
            second = pointwiseMax(load(vMax), square)
            UnsafeMutableRawPointer(vMax + i).storeBytes(of: second, as: Vector.self)
        }
        let denominator = second.squareRoot() / c.secondMomentCorrection + c.epsilon
        param += c.negativeStepSize * (mean / denominator)
        UnsafeMutableRawPointer(p + i).storeBytes(of: param, as: Vector.self)
        UnsafeMutableRawPointer(m + i).storeBytes(of: mean, as: Vector.self)
        UnsafeMutableRawPointer(v + i).storeBytes(of: square, as: Vector.self)
    }

    @inline(__always)
    private static func updateScalar(
        at i: Int, _ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
        _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
        _ vMax: UnsafeMutablePointer<Float>?, _ c: AdamStepConstants
    ) {
        let grad = c.gradientDecay != 0 ? g[i] + c.gradientDecay * p[i] : g[i]
        var param = c.parameterScale != 1 ? p[i] * c.parameterScale : p[i]
        m[i] = lerp(m[i], grad, c.averageWeight)
        v[i] = v[i] * c.beta2 + c.oneMinusBeta2 * grad * grad
        var second = v[i]
        if let vMax {
            second = Swift.max(vMax[i], second)
            vMax[i] = second
        }
        param += c.negativeStepSize * (m[i] / (second.squareRoot() / c.secondMomentCorrection + c.epsilon))
        p[i] = param
    }

    /// torch's `lerp`: `start + w·(end − start)` for w < ½, `end − (end − start)·(1 − w)` otherwise.
    @inline(__always)
    private static func lerp<Value: FloatingPoint>(_ start: Value, _ end: Value, _ weight: Value) -> Value {
        weight < 1 / 2 ? start + weight * (end - start) : end - (end - start) * (1 - weight)
    }

    @inline(__always)
    private static func lerp(_ start: SIMD8<Float>, _ end: SIMD8<Float>, _ weight: Float) -> SIMD8<Float> {
        weight < 0.5 ? start + weight * (end - start) : end - (end - start) * (1 - weight)
    }
}
