import Foundation
import HarpTensor

/// PyTorch's default parameter initialisations, drawn from a seeded `RandomGenerator` (the values
/// differ from PyTorch's, the distributions are the same).
///
/// ref: `torch.nn.init.kaiming_uniform_` and `torch.nn.init.xavier_uniform_`;
/// `torch.nn.Linear.reset_parameters` / `torch.nn.modules.conv._ConvNd.reset_parameters`.
public enum Initialization {
    /// The bound of `kaiming_uniform_(w, a: √5)` for a weight with `fanIn` inputs per output,
    /// which is also the bound PyTorch uses for the bias: `gain·√(3 / fanIn)` with
    /// `gain = √(2 / (1 + a²)) = √(1/3)`, i.e. `1 / √fanIn`.
    public static func kaimingUniformBound(fanIn: Int) -> Float {
        fanIn > 0 ? 1 / Float(fanIn).squareRoot() : 0
    }

    /// Uniform in `[−bound, bound)` with `kaimingUniformBound(fanIn:)`, as a parameter.
    public static func kaimingUniform(_ shape: [Int], fanIn: Int, generator: inout RandomGenerator) -> Parameter {
        let bound = kaimingUniformBound(fanIn: fanIn)
        return Tensor.uniform(shape, low: -bound, high: bound, generator: &generator, requiresGradient: true)
    }

    /// `xavier_uniform_` for a 2-D weight `[fanOut, fanIn]`: bound `√(6 / (fanIn + fanOut))`.
    public static func xavierUniform(_ shape: [Int], generator: inout RandomGenerator) -> Parameter {
        precondition(shape.count == 2, "xavierUniform: needs a matrix, got \(shape)")
        let bound = (6 / Float(shape[0] + shape[1])).squareRoot()
        return Tensor.uniform(shape, low: -bound, high: bound, generator: &generator, requiresGradient: true)
    }
}
