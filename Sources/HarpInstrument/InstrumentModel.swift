import HarpNN
import HarpTensor

/// A playable instrument fitted to one clip: a learned control plane and deformation curve (the
/// performance) and a resonance stack (the instrument).
///
/// ref: seed 001 `OverfitResonanceStack` (one layer by default). Parameter names and shapes are
/// the seed's (`control_plane` `[1, 1, C, F]`, `deformations` `[1, 1, E, D]`, `network.…`), so a
/// state dict maps one to one onto the PyTorch re-creation in `tools/seed001/reference.py`.
public final class InstrumentModel: Module {
    @Keyed("control_plane") public var controlPlane = Tensor.zeros([1])
    public var deformations: Tensor
    public let network: ResonanceStack

    @Ignored public private(set) var configuration = InstrumentConfiguration()
    /// Draws the attack noise of every forward pass (a fresh draw each call, as in the seed).
    @Ignored public var noiseGenerator = RandomGenerator(seed: 0)

    /// A freshly initialised instrument (the seed's initial distributions, drawn in its order).
    public init(configuration: InstrumentConfiguration, layerCount: Int = 1, seed: UInt64) throws {
        try configuration.validate()
        guard configuration.controlPlaneDimension == configuration.resonanceCount else {
            // The seed's attack envelopes are indexed by control dimension and applied per resonance.
            throw InstrumentError.invalidConfiguration(
                "control plane dimension (\(configuration.controlPlaneDimension)) must equal the resonance count (\(configuration.resonanceCount))")
        }
        var generator = RandomGenerator(seed: seed)
        let c = configuration
        let plane = Tensor.uniform([1, 1, c.controlPlaneDimension, c.frameCount], low: -0.01, high: 0.01,
                                   generator: &generator, requiresGradient: true)
        deformations = Tensor.uniform([1, 1, c.expressivity, c.deformationFrameCount], low: -0.01, high: 0.01,
                                      generator: &generator, requiresGradient: true)
        network = ResonanceStack(configuration: c, layerCount: layerCount, generator: &generator)
        super.init()
        controlPlane = plane
        self.configuration = c
        noiseGenerator = RandomGenerator(seed: seed &+ 0x9E37_79B9)
    }

    /// relu(plane + mean(plane)): the non-negative control signal `[C, F]` (seed `_process_control_plane`).
    public static func controlSignal(fromPlane plane: Tensor, rows: Int, columns: Int) -> Tensor {
        let flat = plane.reshaped([rows, columns])
        return (flat + flat.mean()).relu()
    }

    /// The fitted control signal `[C, F]`.
    public var controlSignal: Tensor {
        Self.controlSignal(fromPlane: controlPlane, rows: configuration.controlPlaneDimension, columns: configuration.frameCount)
    }

    /// The fitted deformation logits `[E, D]`.
    public var deformationCurve: Tensor {
        deformations.reshaped([configuration.expressivity, configuration.deformationFrameCount])
    }

    /// Fresh attack noise for each layer, `[C, attackSamples]` uniform in [−1, 1].
    public func drawNoise() -> [Tensor] {
        network.layers.map { _ in
            Tensor.uniform([configuration.controlPlaneDimension, configuration.attackSampleCount], low: -1, high: 1,
                           generator: &noiseGenerator)
        }
    }

    /// Plays `control` `[C, F]` with `deformations` `[E, D]` (the fitted ones by default):
    /// audio `[samples]`.
    public func render(control: Tensor? = nil, deformations: Tensor? = nil, noise: [Tensor]? = nil) -> Tensor {
        network(control: control ?? controlSignal, deformations: deformations ?? deformationCurve,
                noise: noise ?? drawNoise()).audio
    }
}
