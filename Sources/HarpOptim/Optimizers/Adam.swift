import Foundation
import HarpTensor

/// Adam (Kingma & Ba, 2015) exactly as `torch.optim.Adam`: bias-corrected moments, ε added to the
/// corrected √v, `weightDecay` as an L2 penalty added to the gradient, optional AMSGrad.
///
/// Hyperparameters are `Double`, as torch's are Python floats, so derived scalars round the same way.
public class Adam: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Double
    public let betas: (Double, Double)
    public let epsilon: Double
    public let weightDecay: Double
    public let amsgrad: Bool
    /// Whether weight decay shrinks the parameters directly (AdamW) instead of adding to the gradient.
    public let decouplesWeightDecay: Bool
    /// Per-parameter moments, created at a parameter's first step.
    var states: [AdamParameterState?]

    /// - Parameters:
    ///   - parameters: the tensors to update (usually `module.parameters()`).
    ///   - learningRate: torch's `lr`.
    ///   - betas: decay rates of the first and second moments.
    ///   - epsilon: added to the denominator for stability (torch's `eps`).
    ///   - weightDecay: L2 penalty coefficient, added to the gradient.
    ///   - amsgrad: use the running maximum of the second moment.
    public convenience init(parameters: [Tensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                            epsilon: Double = 1e-8, weightDecay: Double = 0, amsgrad: Bool = false) {
        self.init(parameters: parameters, learningRate: learningRate, betas: betas, epsilon: epsilon,
                  weightDecay: weightDecay, amsgrad: amsgrad, decouplesWeightDecay: false)
    }

    init(parameters: [Tensor], learningRate: Double, betas: (Double, Double), epsilon: Double,
         weightDecay: Double, amsgrad: Bool, decouplesWeightDecay: Bool) {
        precondition(learningRate >= 0 && epsilon >= 0 && weightDecay >= 0, "Adam: negative hyperparameter")
        precondition((0..<1).contains(betas.0) && (0..<1).contains(betas.1), "Adam: betas must be in [0, 1)")
        self.parameters = parameters
        self.learningRate = learningRate
        self.betas = betas
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
        self.decouplesWeightDecay = decouplesWeightDecay
        states = Array(repeating: nil, count: parameters.count)
    }

    /// One Adam step for every parameter with a gradient.
    public func step() {
        for (index, parameter) in parameters.enumerated() {
            guard let gradient = parameter.grad else { continue }
            precondition(gradient.shape == parameter.shape, "Adam: gradient \(gradient.shape) for parameter \(parameter.shape)")
            let state = states[index] ?? AdamParameterState(shape: parameter.shape, amsgrad: amsgrad)
            states[index] = state
            state.step += 1
            update(parameter, gradient: gradient, state: state)
        }
    }

    private func update(_ parameter: Tensor, gradient: Tensor, state: AdamParameterState) {
        let constants = stepConstants(step: state.step)
        let count = parameter.count
        gradient.withUnsafeBufferPointer { g in
            parameter.withUnsafeMutableBufferPointer { p in
                state.average.withUnsafeMutableBufferPointer { m in
                    state.squareAverage.withUnsafeMutableBufferPointer { v in
                        guard let p = p.baseAddress, let g = g.baseAddress, let m = m.baseAddress, let v = v.baseAddress else { return }
                        let vMax = state.maximumSquareAverage.map { $0.storage.baseAddress + $0.offset }
                        AdamKernel.update(parameter: p, gradient: g, average: m, squareAverage: v,
                                          maximumSquareAverage: vMax, count: count, constants: constants)
                    }
                }
            }
        }
    }

    /// The scalars for step `t` (1-based), in `Double` then rounded, as torch computes them.
    func stepConstants(step t: Int) -> AdamStepConstants {
        let (beta1, beta2) = betas
        let decoupled = decouplesWeightDecay && weightDecay != 0
        return AdamStepConstants(
            gradientDecay: decouplesWeightDecay ? 0 : Float(weightDecay),
            parameterScale: decoupled ? Float(1 - learningRate * weightDecay) : 1,
            averageWeight: Float(1 - beta1),
            beta2: Float(beta2),
            oneMinusBeta2: Float(1 - beta2),
            secondMomentCorrection: Float((1 - pow(beta2, Double(t))).squareRoot()),
            epsilon: Float(epsilon),
            negativeStepSize: Float(-(learningRate / (1 - pow(beta1, Double(t))))))
    }
}

/// AdamW (Loshchilov & Hutter, 2019) exactly as `torch.optim.AdamW`: Adam whose weight decay
/// shrinks each parameter by `lr · weightDecay` before the update instead of entering the gradient.
public final class AdamW: Adam {
    /// Same parameters as `Adam`, with torch's AdamW default `weightDecay` of 0.01.
    public init(parameters: [Tensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                epsilon: Double = 1e-8, weightDecay: Double = 1e-2, amsgrad: Bool = false) {
        super.init(parameters: parameters, learningRate: learningRate, betas: betas, epsilon: epsilon,
                   weightDecay: weightDecay, amsgrad: amsgrad, decouplesWeightDecay: true)
    }
}
