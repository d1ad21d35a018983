import Foundation
import HarpTensor
@testable import HarpLatent

/// A very small random music2latent (hop 32: 64 bins, 2 rows at the bottom, 4 channels) for tests
/// of behaviour rather than parity, fast in debug builds.
enum TinyLatentModel {
    static var configuration: LatentConfiguration {
        var c = LatentConfiguration()
        c.hop = 32
        c.baseChannels = 4
        c.multipliers = [1, 1, 2, 2, 2]
        c.layers = [1, 1, 1, 1, 1]
        c.attention = [0, 0, 0, 1, 1]
        c.encoderLayers = [1, 1, 1, 1, 1]
        c.encoderAttention = [0, 0, 0, 0, 1]
        c.bottleneckBaseChannels = 8
        c.bottleneckLayerCount = 1
        c.heads = 2
        c.conditionChannels = 8
        c.bottleneckChannels = 4
        return c
    }

    static func make(seed: UInt64 = 1) throws -> ConsistencyAutoencoder {
        try ConsistencyAutoencoder(configuration: configuration, seed: seed)
    }

    /// `channels × samples` of two detuned sines.
    static func audio(channels: Int, samples: Int) -> Tensor {
        Tensor(shape: [channels, samples]) { values in
            for c in 0..<channels {
                for i in 0..<samples {
                    values[c * samples + i] = 0.4 * Float(sin(Double(i) * (0.05 + 0.01 * Double(c))))
                }
            }
        }
    }
}
