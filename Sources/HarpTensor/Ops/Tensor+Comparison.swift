// Comparisons give masks (1 where true, 0 where false; no gradient), consumed by `where`.

extension Tensor {
    public static func .< (a: Tensor, b: Tensor) -> Tensor { a.zipped(b, Comparison(relation: .less)) }
    public static func .<= (a: Tensor, b: Tensor) -> Tensor { a.zipped(b, Comparison(relation: .lessOrEqual)) }
    public static func .> (a: Tensor, b: Tensor) -> Tensor { a.zipped(b, Comparison(relation: .greater)) }
    public static func .>= (a: Tensor, b: Tensor) -> Tensor { a.zipped(b, Comparison(relation: .greaterOrEqual)) }
    public static func .== (a: Tensor, b: Tensor) -> Tensor { a.zipped(b, Comparison(relation: .equal)) }
    public static func .!= (a: Tensor, b: Tensor) -> Tensor { a.zipped(b, Comparison(relation: .notEqual)) }

    public static func .< (a: Tensor, b: Float) -> Tensor { a .< Tensor(scalar: b) }
    public static func .<= (a: Tensor, b: Float) -> Tensor { a .<= Tensor(scalar: b) }
    public static func .> (a: Tensor, b: Float) -> Tensor { a .> Tensor(scalar: b) }
    public static func .>= (a: Tensor, b: Float) -> Tensor { a .>= Tensor(scalar: b) }
    public static func .== (a: Tensor, b: Float) -> Tensor { a .== Tensor(scalar: b) }
    public static func .!= (a: Tensor, b: Float) -> Tensor { a .!= Tensor(scalar: b) }
}

/// `a` where `condition` is non-zero, `b` elsewhere, all three broadcast together (`torch.where`).
/// Pullback: the gradient goes to `a` where the condition holds and to `b` elsewhere (never through
/// the other branch, so an infinite value in the unused branch is harmless).
public func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    guard let ab = Shape.broadcast(a.shape, b.shape), let shape = Shape.broadcast(condition.shape, ab) else {
        preconditionFailure("where: \(condition.shape), \(a.shape), \(b.shape) do not broadcast")
    }
    let mask = condition.broadcastValues(to: shape)
    let (whenTrue, whenFalse) = (a.broadcastValues(to: shape), b.broadcastValues(to: shape))
    let result = Tensor(shape: shape) { out in
        mask.withUnsafeBufferPointer { m in
            whenTrue.withUnsafeBufferPointer { t in
                whenFalse.withUnsafeBufferPointer { f in
                    for i in out.indices { out[i] = m[i] != 0 ? t[i] : f[i] }
                }
            }
        }
    }
    return Tensor.recording("where", result: result, inputs: [a, b]) { g in
        [g.zipped(mask, Select(whenTrue: true)).reduced(toShape: a.shape),
         g.zipped(mask, Select(whenTrue: false)).reduced(toShape: b.shape)]
    }
}

/// g where the mask is non-zero (`whenTrue`) or zero (`!whenTrue`), else 0; never multiplies, so
/// non-finite gradients do not leak across.
struct Select: BinaryElementwise {
    let whenTrue: Bool
    @inline(__always) func scalar(_ g: Float, _ mask: Float) -> Float { (mask != 0) == whenTrue ? g : 0 }
}
