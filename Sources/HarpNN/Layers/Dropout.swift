import HarpTensor

/// Zeroes each value with probability `probability` during training and scales the rest by
/// `1 / (1 − probability)`; the identity in evaluation mode (`torch.nn.Dropout`).
///
/// Shapes: any → the same. Reproducible: the masks come from the module's own
/// `RandomGenerator`, which advances with every call (so two runs from the same seed match).
public final class Dropout: Module {
    public let probability: Float
    @Ignored public var generator: RandomGenerator

    public init(probability: Float = 0.5, generator: RandomGenerator) {
        precondition(probability >= 0 && probability <= 1, "Dropout: probability \(probability) outside [0, 1]")
        self.probability = probability
        self.generator = generator
        super.init()
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        guard isTraining, probability > 0 else { return input }
        guard probability < 1 else { return input * Tensor.zeros(input.shape) }
        let keep = Tensor.uniform(input.shape, generator: &generator) .>= Tensor(scalar: probability)
        return input * (keep * (1 / (1 - probability)))
    }
}
