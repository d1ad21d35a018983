// Element-wise math. Each op keeps the tensor's shape; derivatives are in each pullback.

extension Tensor {
    /// eˣ element-wise. Pullback: g·eˣ (reuses the result).
    public func exp() -> Tensor {
        let result = mapped(Exponential())
        return Tensor.recording("exp", result: result, inputs: [self]) { g in [g.zipped(result, Multiply())] }
    }

    /// Natural logarithm element-wise. Pullback: g / x.
    public func log() -> Tensor {
        Tensor.recording("log", result: mapped(Logarithm()), inputs: [self]) { [self] g in [g.zipped(self, Divide())] }
    }

    /// Sine element-wise. Pullback: g·cos x.
    public func sin() -> Tensor { recordingUnary("sin", Sine(), derivative: Cosine()) }

    /// Cosine element-wise. Pullback: −g·sin x.
    public func cos() -> Tensor {
        Tensor.recording("cos", result: mapped(Cosine()), inputs: [self]) { [self] g in
            [g.zipped(mapped(Sine()), Multiply()).mapped(Negate())]
        }
    }

    /// √x element-wise. Pullback: g / (2√x).
    public func sqrt() -> Tensor {
        let result = mapped(SquareRoot())
        return Tensor.recording("sqrt", result: result, inputs: [self]) { g in
            [g.zipped(result, Divide()).zipped(Tensor(scalar: 0.5), Multiply())]
        }
    }

    /// x² element-wise. Pullback: 2gx.
    public func square() -> Tensor {
        Tensor.recording("square", result: mapped(Square()), inputs: [self]) { [self] g in
            [g.zipped(self, Multiply()).zipped(Tensor(scalar: 2), Multiply())]
        }
    }

    /// |x| element-wise. Pullback: g·sign(x) (0 at 0, as in PyTorch).
    public func abs() -> Tensor { recordingUnary("abs", AbsoluteValue(), derivative: Sign()) }

    /// Values limited to `[min, max]` (`torch.clamp`). Pullback: g where `min ≤ x ≤ max` (bounds
    /// included, PyTorch's convention), 0 elsewhere.
    public func clamped(min low: Float = -.infinity, max high: Float = .infinity) -> Tensor {
        recordingUnary("clamp", Clamp(low: low, high: high), derivative: InsideMask(low: low, high: high))
    }
}
