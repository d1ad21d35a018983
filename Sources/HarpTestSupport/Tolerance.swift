import HarpTensor
import Testing

/// Records an issue unless every `actual[i]` is within `absolute + relative·|expected[i]|` of
/// `expected[i]` (NumPy's `allclose` rule). The message names the worst index, both values and the
/// error, so a failure says where to look. NaNs match NaNs; infinities must match exactly.
public func expectClose(_ actual: [Float], _ expected: [Float], relative: Float = 1e-5, absolute: Float = 1e-6,
                        _ context: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.count == expected.count else {
        Issue.record("\(context) count \(actual.count) ≠ expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    var worst: (index: Int, excess: Float)? = nil
    var failures = 0
    for i in actual.indices {
        let a = actual[i], e = expected[i]
        if a.isNaN && e.isNaN { continue }
        if a.isInfinite || e.isInfinite {
            if a != e { failures += 1; if worst == nil { worst = (i, .infinity) } }
            continue
        }
        let excess = Swift.abs(a - e) - (absolute + relative * Swift.abs(e))
        if excess > 0 || a.isNaN || e.isNaN {
            failures += 1
            let measure = excess.isNaN ? Float.infinity : excess
            if worst == nil || measure > worst!.excess { worst = (i, measure) }
        }
    }
    if let worst {
        let i = worst.index
        Issue.record("""
            \(context) \(failures) of \(actual.count) values differ; worst at index \(i): \
            actual \(actual[i]), expected \(expected[i]), error \(Swift.abs(actual[i] - expected[i])) \
            (tolerance \(absolute) + \(relative)·|expected|)
            """, sourceLocation: sourceLocation)
    }
}

/// Tensor form of `expectClose`: shapes must match too; the worst index is reported as a
/// multi-index into the shape.
public func expectClose(_ actual: Tensor, _ expected: Tensor, relative: Float = 1e-5, absolute: Float = 1e-6,
                        _ context: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.shape == expected.shape else {
        Issue.record("\(context) shape \(actual.shape) ≠ expected \(expected.shape)", sourceLocation: sourceLocation)
        return
    }
    expectClose(actual.scalars, expected.scalars, relative: relative, absolute: absolute,
                "\(context) [shape \(actual.shape)]", sourceLocation: sourceLocation)
}

/// The multi-index of flat position `index` in a row-major `shape`.
public func multiIndex(_ index: Int, in shape: [Int]) -> [Int] {
    var remainder = index
    return Shape.strides(shape).map { stride in
        defer { remainder %= Swift.max(stride, 1) }
        return remainder / Swift.max(stride, 1)
    }
}
