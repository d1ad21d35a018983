import Foundation
import HarpTensor

extension AsuraModel {
    /// Identifies the latent space: a 64-bit FNV-1a hash (hex) of the token and sequence
    /// encoders' weights, the parts that turn audio into latents. Embeddings and control maps
    /// record it so that a map is not used with a model whose latents mean something else.
    public var fingerprint: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (name, tensor) in stateDict().filter({ $0.key.hasPrefix("token_encoder.") || $0.key.hasPrefix("seq_encoder.") }).sorted(by: { $0.key < $1.key }) {
            for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            tensor.withUnsafeBufferPointer { values in
                for v in values { hash = (hash ^ UInt64(v.bitPattern)) &* 0x100_0000_01b3 }
            }
        }
        return String(hash, radix: 16)
    }
}
