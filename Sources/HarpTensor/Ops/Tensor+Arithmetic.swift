import Foundation

// Broadcasting binary arithmetic (NumPy/PyTorch rules). Each op's pullback sums the gradient back
// to each operand's shape with `reduced(toShape:)`.

extension Tensor {
    /// `a + b`, broadcasting. Shapes `[…a] , […b] → broadcast([…a], […b])`.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        recording("add", result: a.zipped(b, Add()), inputs: [a, b]) { g in
            [g.reduced(toShape: a.shape), g.reduced(toShape: b.shape)]
        }
    }

    /// `a − b`, broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        recording("subtract", result: a.zipped(b, Subtract()), inputs: [a, b]) { g in
            [g.reduced(toShape: a.shape), g.mapped(Negate()).reduced(toShape: b.shape)]
        }
    }

    /// `a × b` element-wise, broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        recording("multiply", result: a.zipped(b, Multiply()), inputs: [a, b]) { g in
            [a.requiresGradient ? g.zipped(b, Multiply()).reduced(toShape: a.shape) : nil,
             b.requiresGradient ? g.zipped(a, Multiply()).reduced(toShape: b.shape) : nil]
        }
    }

    /// `a ÷ b` element-wise, broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        recording("divide", result: a.zipped(b, Divide()), inputs: [a, b]) { g in
            // d(a/b)/db = −a/b², written as −(g/b)·(a/b) to avoid overflow in b².
            let gOverB = g.zipped(b, Divide())
            return [gOverB.reduced(toShape: a.shape),
                    b.requiresGradient ? gOverB.zipped(a.zipped(b, Divide()), Multiply()).mapped(Negate())
                        .reduced(toShape: b.shape) : nil]
        }
    }

    /// `−x`.
    public static prefix func - (x: Tensor) -> Tensor {
        recording("negate", result: x.mapped(Negate()), inputs: [x]) { g in [g.mapped(Negate())] }
    }

    public static func + (a: Tensor, b: Float) -> Tensor { a + Tensor(scalar: b) }
    public static func + (a: Float, b: Tensor) -> Tensor { Tensor(scalar: a) + b }
    public static func - (a: Tensor, b: Float) -> Tensor { a - Tensor(scalar: b) }
    public static func - (a: Float, b: Tensor) -> Tensor { Tensor(scalar: a) - b }
    public static func * (a: Tensor, b: Float) -> Tensor { a * Tensor(scalar: b) }
    public static func * (a: Float, b: Tensor) -> Tensor { Tensor(scalar: a) * b }
    public static func / (a: Tensor, b: Float) -> Tensor { a / Tensor(scalar: b) }
    public static func / (a: Float, b: Tensor) -> Tensor { Tensor(scalar: a) / b }
}

/// `base^exponent` element-wise, broadcasting (`torch.pow`).
public func pow(_ base: Tensor, _ exponent: Tensor) -> Tensor {
    Tensor.recording("pow", result: base.zipped(exponent, Power()), inputs: [base, exponent]) { g in
        [base.requiresGradient
            ? g.zipped(base.zipped(exponent, PowerBaseDerivative()), Multiply()).reduced(toShape: base.shape) : nil,
         exponent.requiresGradient
            ? g.zipped(base.zipped(exponent, PowerExponentDerivative()), Multiply()).reduced(toShape: exponent.shape) : nil]
    }
}

/// `base^exponent` for a constant exponent.
public func pow(_ base: Tensor, _ exponent: Float) -> Tensor {
    Tensor.recording("pow", result: base.mapped(ConstantPower(exponent: exponent)), inputs: [base]) { g in
        guard exponent != 0 else { return [Tensor.zeros(base.shape)] }
        return [g.zipped(base.mapped(ConstantPower(exponent: exponent - 1)), Multiply()).zipped(Tensor(scalar: exponent), Multiply())]
    }
}

/// The larger of `a` and `b` element-wise, broadcasting (`torch.maximum`); on ties each side
/// receives half the gradient, as in PyTorch.
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
    Tensor.recording("maximum", result: a.zipped(b, Maximum()), inputs: [a, b]) { g in
        [g.zipped(a.zipped(b, MaximumShare()), Multiply()).reduced(toShape: a.shape),
         g.zipped(b.zipped(a, MaximumShare()), Multiply()).reduced(toShape: b.shape)]
    }
}

/// The smaller of `a` and `b` element-wise, broadcasting (`torch.minimum`); ties split the gradient.
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
    Tensor.recording("minimum", result: a.zipped(b, Minimum()), inputs: [a, b]) { g in
        [g.zipped(b.zipped(a, MaximumShare()), Multiply()).reduced(toShape: a.shape),
         g.zipped(a.zipped(b, MaximumShare()), Multiply()).reduced(toShape: b.shape)]
    }
}

/// The angle of the point `(x, y)` in (−π, π], element-wise, broadcasting (`torch.atan2(y, x)`).
/// ∂/∂y = x / (x² + y²), ∂/∂x = −y / (x² + y²).
public func atan2(_ y: Tensor, _ x: Tensor) -> Tensor {
    Tensor.recording("atan2", result: y.zipped(x, ArcTangent2()), inputs: [y, x]) { g in
        let radiusSquared = y.zipped(y, Multiply()).zipped(x.zipped(x, Multiply()), Add())
        let gOverR = g.zipped(radiusSquared, Divide())
        return [gOverR.zipped(x, Multiply()).reduced(toShape: y.shape),
                gOverR.zipped(y, Multiply()).mapped(Negate()).reduced(toShape: x.shape)]
    }
}
