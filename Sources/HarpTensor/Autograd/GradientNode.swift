/// The record an op leaves when it is differentiated: its inputs and its pullback.
///
/// The pullback maps the gradient of the loss with respect to the op's output to the gradients
/// with respect to each input (in the order of `inputs`; `nil` for an input that needs none).
/// Pullbacks run with recording off, so Harp differentiates once (no higher-order gradients).
public final class GradientNode {
    public let name: String
    public let inputs: [Tensor]
    public let pullback: (Tensor) -> [Tensor?]

    public init(name: String, inputs: [Tensor], pullback: @escaping (Tensor) -> [Tensor?]) {
        self.name = name
        self.inputs = inputs
        self.pullback = pullback
    }
}

extension Tensor {
    /// Wraps the freshly computed `result` of a primitive op, recording `pullback` when recording
    /// is on and any input requires a gradient. Every differentiable primitive ends with this.
    ///
    /// - Parameters:
    ///   - name: the op's name, for error messages and graph dumps.
    ///   - result: the forward value (a new tensor with no node).
    ///   - inputs: the op's tensor inputs.
    ///   - pullback: output gradient → one gradient (or `nil`) per input, each of its input's shape.
    public static func recording(
        _ name: String, result: Tensor, inputs: [Tensor],
        pullback: @escaping (Tensor) -> [Tensor?]
    ) -> Tensor {
        // The input test first: it is a few loads, while reading the task-local mode is a lookup.
        guard inputs.contains(where: { $0.requiresGradient }), GradientMode.isEnabled else {
            return result
        }
        let node = GradientNode(name: name, inputs: inputs, pullback: pullback)
        return Tensor(shape: result.shape, storage: result.storage, offset: result.offset, gradientNode: node)
    }
}
