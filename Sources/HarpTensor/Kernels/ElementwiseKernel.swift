/// A function applied to each value: a scalar form and a 16-lane SIMD form that must agree.
///
/// Conforming types are small structs (they may carry parameters, like `clamp`'s bounds), so the
/// generic kernels below specialise and inline them: one loop per op, no indirect call per value.
protocol UnaryElementwise {
    func scalar(_ x: Float) -> Float
    func vector(_ x: SIMD16<Float>) -> SIMD16<Float>
}

extension UnaryElementwise {
    /// Lane-by-lane fallback for functions without a vector form (sin, erf, …).
    @inline(__always)
    func vector(_ x: SIMD16<Float>) -> SIMD16<Float> {
        var result = SIMD16<Float>()
        for lane in 0..<16 { result[lane] = scalar(x[lane]) }
        return result
    }
}

/// A function of two values, in scalar and 16-lane SIMD forms.
protocol BinaryElementwise {
    func scalar(_ a: Float, _ b: Float) -> Float
    func vector(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float>
}

extension BinaryElementwise {
    @inline(__always)
    func vector(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        var result = SIMD16<Float>()
        for lane in 0..<16 { result[lane] = scalar(a[lane], b[lane]) }
        return result
    }
}

/// Contiguous element-wise loops, 16 lanes at a time, split across cores above
/// `parallelThreshold` values (below it, thread hand-off costs more than it saves).
enum ElementwiseKernel {
    static let parallelThreshold = 1 << 16

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always)
    static func store(_ value: SIMD16<Float>, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD16<Float>.self)
    }

    /// `out[i] = op(x[i])` for `i < count`.
    @inline(__always)
    static func map<Op: UnaryElementwise>(_ op: Op, _ x: UnsafePointer<Float>,
                                          _ out: UnsafeMutablePointer<Float>, count: Int) {
        Parallel.forEachChunk(count: count, minimumChunk: parallelThreshold / 2) { range in
            var i = range.lowerBound
            while i + 16 <= range.upperBound {
                store(op.vector(load(x + i)), out + i)
                i += 16
            }
            while i < range.upperBound { out[i] = op.scalar(x[i]); i += 1 }
        }
    }

    /// `out[i] = op(a[i], b[i])` for `i < count`.
    @inline(__always)
    static func zip<Op: BinaryElementwise>(_ op: Op, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                           _ out: UnsafeMutablePointer<Float>, count: Int) {
        Parallel.forEachChunk(count: count, minimumChunk: parallelThreshold / 2) { range in
            zipRange(op, a, 1, b, 1, out, range)
        }
    }

    /// The inner loop of every binary kernel: `out[i] = op(a[i·sa], b[i·sb])` over `range`, with
    /// strides 0 (a broadcast value) or 1 (contiguous) specialised so each case vectorises.
    @inline(__always)
    static func zipRange<Op: BinaryElementwise>(_ op: Op, _ a: UnsafePointer<Float>, _ sa: Int,
                                                _ b: UnsafePointer<Float>, _ sb: Int,
                                                _ out: UnsafeMutablePointer<Float>, _ range: Range<Int>) {
        var i = range.lowerBound
        let end = range.upperBound
        switch (sa, sb) {
        case (1, 1):
            while i + 16 <= end { store(op.vector(load(a + i), load(b + i)), out + i); i += 16 }
            while i < end { out[i] = op.scalar(a[i], b[i]); i += 1 }
        case (1, 0):
            let bv = SIMD16<Float>(repeating: b[0])
            while i + 16 <= end { store(op.vector(load(a + i), bv), out + i); i += 16 }
            while i < end { out[i] = op.scalar(a[i], b[0]); i += 1 }
        case (0, 1):
            let av = SIMD16<Float>(repeating: a[0])
            while i + 16 <= end { store(op.vector(av, load(b + i)), out + i); i += 16 }
            while i < end { out[i] = op.scalar(a[0], b[i]); i += 1 }
        default:
            while i < end { out[i] = op.scalar(a[i * sa], b[i * sb]); i += 1 }
        }
    }
}
