import HarpTensor

/// The losses of adversarial codec training over a multi-scale discriminator's outputs, each
/// averaged over the scales (K):
///
/// - hinge: D = Σₖ mean(relu(1 − D(x))) + mean(relu(1 + D(x̂))), G = Σₖ mean(relu(1 − D(x̂)));
/// - least squares: D = Σₖ mean((1 − D(x))²) + mean(D(x̂)²), G = Σₖ mean((1 − D(x̂))²);
/// - feature matching (relative L1): Σₖ Σₗ mean|f̂ₖₗ − fₖₗ| / mean|fₖₗ|, averaged over the
///   K·L feature maps.
///
/// ref: EnCodec (arXiv:2210.13438 §3.4, hinge and relative feature matching);
/// facebookresearch/audiocraft `audiocraft/adversarial/losses.py`; LumenPallidium/audio_generation
/// `networks/discriminator.py` (hinge and relative feature loss, the seed's choice).
public enum AdversarialLoss: String, Codable, Sendable, CaseIterable {
    case hinge
    case leastSquares = "least-squares"

    /// The discriminator's loss on real and generated audio (pass the generated outputs computed
    /// from detached audio, so no gradient reaches the generator).
    public func discriminatorLoss(real: [Tensor], generated: [Tensor]) -> Tensor {
        precondition(real.count == generated.count && !real.isEmpty)
        var total = Tensor(scalar: 0)
        for (r, g) in zip(real, generated) {
            switch self {
            case .hinge: total = total + (1 - r).relu().mean() + (1 + g).relu().mean()
            case .leastSquares: total = total + (1 - r).square().mean() + g.square().mean()
            }
        }
        return total / Float(real.count)
    }

    /// The generator's adversarial loss on the discriminator's outputs for generated audio.
    public func generatorLoss(generated: [Tensor]) -> Tensor {
        precondition(!generated.isEmpty)
        var total = Tensor(scalar: 0)
        for g in generated {
            switch self {
            case .hinge: total = total + (1 - g).relu().mean()
            case .leastSquares: total = total + (1 - g).square().mean()
            }
        }
        return total / Float(generated.count)
    }

    /// Relative L1 feature matching between the discriminator's activations on real audio
    /// (constants) and on generated audio, averaged over every feature map.
    public static func featureMatchingLoss(real: [[Tensor]], generated: [[Tensor]]) -> Tensor {
        var total = Tensor(scalar: 0)
        var count = 0
        for (realMaps, generatedMaps) in zip(real, generated) {
            for (r, g) in zip(realMaps, generatedMaps) {
                let reference = r.detached()
                total = total + (g - reference).abs().mean() / (reference.abs().mean() + 1e-8)
                count += 1
            }
        }
        return total / Float(max(count, 1))
    }
}
