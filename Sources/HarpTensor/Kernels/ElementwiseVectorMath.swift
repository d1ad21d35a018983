import Foundation

/// 16-lane transcendental functions for the hot element-wise ops (exp, tanh, sigmoid).
///
/// The standard library has no SIMD `exp`, and calling `expf` lane by lane costs about ten times
/// more than this. Accuracy: within ~2 ulp of `expf` on [-87.3, 88] (Cephes-style range reduction
/// `x = n·ln2 + r`, |r| ≤ ln2/2, then a degree-6 polynomial for e^r; ref: Moshier, Cephes `expf.c`).
enum VectorMath {
    /// e^x. Lanes outside the polynomial's range (overflow, NaN) fall back to `Foundation.exp`;
    /// lanes below −87.33 (results below the smallest normal Float) flush to 0.
    @inline(__always)
    static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let lower: Float = -87.33654
        if any(x .> 88) || any(x .!= x) {
            var result = SIMD16<Float>()
            for lane in 0..<16 { result[lane] = Foundation.exp(x[lane]) }
            return result
        }
        let v = x.replacing(with: lower, where: x .< lower)
        let n = (v * 1.442695041).rounded(.toNearestOrEven)
        // ln 2 split in two so that n·ln2 is exact in the high part.
        var r = v.addingProduct(n, SIMD16(repeating: -0.693359375))
        r = r.addingProduct(n, SIMD16(repeating: 2.12194440e-4))
        var p = SIMD16<Float>(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        p = p * (r * r) + r + 1
        let exponent = (SIMD16<Int32>(n, rounding: .towardZero) &+ 127) &<< 23
        let scale = unsafeBitCast(exponent, to: SIMD16<Float>.self)
        return (p * scale).replacing(with: 0, where: x .< lower)
    }

    /// tanh x: an odd polynomial near 0 (where 1 − e^{−2|x|} would cancel; ref: Cephes `tanhf.c`),
    /// `(1 − e)/(1 + e)` with e = e^{−2|x|} elsewhere.
    @inline(__always)
    static func tanh(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let magnitude = x.replacing(with: -x, where: x .< 0)
        let e = exp(-2 * magnitude)
        var large = (1 - e) / (1 + e)
        large.replace(with: -large, where: x .< 0)
        let z = x * x
        var p = SIMD16<Float>(repeating: -5.70498872745e-3)
        p = p * z + 2.06390887954e-2
        p = p * z - 5.37397155531e-2
        p = p * z + 1.33314422036e-1
        p = p * z - 3.33332819422e-1
        let polynomial = x + x * z * p
        return large.replacing(with: polynomial, where: magnitude .< 0.625)
    }

    /// 1 / (1 + e^{−x}).
    @inline(__always)
    static func sigmoid(_ x: SIMD16<Float>) -> SIMD16<Float> {
        1 / (1 + exp(-x))
    }
}
