/// 16-lane transcendental functions for the hot element-wise ops (exp, tanh, sigmoid).
///
/// The standard library has no SIMD `exp`, and calling `expf` lane by lane costs about ten times
/// more than this. Accuracy: within ~2 ulp of `expf` on [-87.3, 88.7] (Cephes-style range reduction
/// `x = n·ln2 + r`, |r| ≤ ln2/2, then a degree-6 polynomial for e^r; ref: Moshier, Cephes `expf.c`).
/// Public and inlinable so that fused kernels in other engine targets (HarpDSP) get the same
/// vector code inlined.
public enum VectorMath {
    /// e^x for every lane, branch-free: lanes above ln(Float.greatestFiniteMagnitude) give +∞,
    /// NaN stays NaN, and lanes below −87.34 (results below the smallest normal Float) flush to 0.
    @inlinable @inline(__always)
    public static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let lower: Float = -87.33654, upper: Float = 88.72283
        let v = x.replacing(with: lower, where: x .< lower).replacing(with: upper, where: x .> upper)
        // Round v·log2(e) to the nearest integer n by adding 1.5·2²³: the sum's low mantissa bits
        // are then n itself, which avoids a float-to-integer conversion (generic and slow on SIMD).
        let magic = SIMD16<Float>(repeating: 12_582_912)
        let shifted = v * 1.442695041 + magic
        let n = shifted - magic
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
        // 2ⁿ as 2ʰ·2ⁿ⁻ʰ with h = ⌊n/2⌋, so that n = 128 (x near the upper bound) stays finite.
        let integer = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- unsafeBitCast(magic, to: SIMD16<Int32>.self)
        let half = integer &>> 1
        let scaleHigh = unsafeBitCast((half &+ 127) &<< 23, to: SIMD16<Float>.self)
        let scaleLow = unsafeBitCast((integer &- half &+ 127) &<< 23, to: SIMD16<Float>.self)
        var result = p * scaleHigh * scaleLow
        result.replace(with: 0, where: x .< lower)
        result.replace(with: .infinity, where: x .> upper)
        result.replace(with: x, where: x .!= x)
        return result
    }

    /// tanh x: an odd polynomial near 0 (where 1 − e^{−2|x|} would cancel; ref: Cephes `tanhf.c`),
    /// `(1 − e)/(1 + e)` with e = e^{−2|x|} elsewhere.
    @inlinable @inline(__always)
    public static func tanh(_ x: SIMD16<Float>) -> SIMD16<Float> {
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
    @inlinable @inline(__always)
    public static func sigmoid(_ x: SIMD16<Float>) -> SIMD16<Float> {
        1 / (1 + exp(-x))
    }
}
