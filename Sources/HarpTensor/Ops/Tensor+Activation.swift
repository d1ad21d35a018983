import Foundation

// Activation functions, element-wise unless stated.

extension Tensor {
    /// tanh x. Pullback: g(1 − y²) from the result y.
    public func tanh() -> Tensor {
        let result = mapped(HyperbolicTangent())
        return Tensor.recording("tanh", result: result, inputs: [self]) { g in [g.zipped(result, TanhPullback())] }
    }

    /// σ(x) = 1 / (1 + e^{−x}). Pullback: g·y(1 − y) from the result y.
    public func sigmoid() -> Tensor {
        let result = mapped(Sigmoid())
        return Tensor.recording("sigmoid", result: result, inputs: [self]) { g in [g.zipped(result, SigmoidPullback())] }
    }

    /// max(x, 0). Pullback: g where x > 0 (0 at 0, as in PyTorch).
    public func relu() -> Tensor {
        Tensor.recording("relu", result: mapped(Rectifier()), inputs: [self]) { [self] g in
            [g.zipped(self, RectifierPullback())]
        }
    }

    /// Leaky ReLU: x for x ≥ 0, `negativeSlope`·x otherwise (`torch.nn.functional.leaky_relu`),
    /// composed as relu(x) − slope·relu(−x), so its pullback is relu's.
    public func leakyReLU(negativeSlope: Float = 0.01) -> Tensor {
        relu() - (-self).relu() * negativeSlope
    }

    /// GELU, exact form ½x(1 + erf(x/√2)) (`torch.nn.functional.gelu`, `approximate="none"`).
    public func gelu() -> Tensor {
        recordingUnary("gelu", GaussianErrorLinear(), derivative: GaussianErrorLinearDerivative())
    }

    /// ELU: x for x > 0, α(eˣ − 1) otherwise (`torch.nn.functional.elu`).
    public func elu(alpha: Float = 1) -> Tensor {
        recordingUnary("elu", ExponentialLinear(alpha: alpha), derivative: ExponentialLinearDerivative(alpha: alpha))
    }

    /// Snake: x + sin²(αx) / α, with one α per channel (ref: Ziyin et al. 2020, "Neural networks
    /// fail to learn periodic functions and how to fix it"; as in DAC/BigVGAN, α + 1e-9 divides,
    /// so α = 0 gives x).
    ///
    /// - Parameter alpha: `[channels]`, broadcast over `[batch, channels, time]` (or `[channels, time]`).
    /// - Returns: the input's shape.
    public func snake(alpha: Tensor) -> Tensor {
        precondition(rank >= 2 && alpha.count == shape[rank - 2],
                     "snake: alpha \(alpha.shape) needs one value per channel of \(shape)")
        let result = Tensor(shape: shape) { out in snakeForward(alpha: alpha, out: out) }
        return Tensor.recording("snake", result: result, inputs: [self, alpha]) { [self] g in
            snakePullback(alpha: alpha, g)
        }
    }

    private func snakeForward(alpha: Tensor, out: UnsafeMutableBufferPointer<Float>) {
        let channels = shape[rank - 2], time = shape[rank - 1]
        withUnsafeBufferPointer { x in
            alpha.withUnsafeBufferPointer { a in
                Parallel.forEachChunk(count: count / Swift.max(time, 1),
                                      minimumChunk: Swift.max(1, 8192 / Swift.max(time, 1))) { rows in
                    for row in rows {
                        let α = a[row % channels], inverse = 1 / (α + 1e-9)
                        for t in row * time..<(row + 1) * time {
                            let s = Foundation.sin(α * x[t])
                            out[t] = x[t] + inverse * s * s
                        }
                    }
                }
            }
        }
    }

    /// ∂/∂x = 1 + sin(2αx)·α/(α+ε);  ∂/∂α = x·sin(2αx)/(α+ε) − sin²(αx)/(α+ε)², summed over batch and time.
    private func snakePullback(alpha: Tensor, _ g: Tensor) -> [Tensor?] {
        let channels = shape[rank - 2], time = shape[rank - 1]
        var alphaGradient = [Double](repeating: 0, count: channels)
        let inputGradient = Tensor(shape: shape) { dx in
            withUnsafeBufferPointer { x in
                alpha.withUnsafeBufferPointer { a in
                    g.withUnsafeBufferPointer { gv in
                        for row in 0..<(count / Swift.max(time, 1)) {
                            let α = a[row % channels], inverse = 1 / (α + 1e-9)
                            var sum: Double = 0
                            for t in row * time..<(row + 1) * time {
                                let s = Foundation.sin(α * x[t]), c = Foundation.cos(α * x[t])
                                dx[t] = gv[t] * (1 + 2 * s * c * α * inverse)
                                sum += Double(gv[t] * (2 * x[t] * s * c * inverse - s * s * inverse * inverse))
                            }
                            alphaGradient[row % channels] += sum
                        }
                    }
                }
            }
        }
        return [inputGradient, Tensor(shape: alpha.shape, values: alphaGradient.map { Float($0) })]
    }
}
