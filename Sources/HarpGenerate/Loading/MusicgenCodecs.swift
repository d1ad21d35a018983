import Foundation
import HarpCodec
import HarpTensor

/// The audio codecs MusicGen checkpoints carry (`audio_encoder.*`), built from `HarpCodec`.
public enum MusicgenCodecs {
    /// Builds the checkpoint's codec from its `audio_encoder` configuration and weights.
    public static let factory: AudioCodecFactory = { _, _ in
        throw GenerateError.unsupported("decoding audio needs EnCodec 32 kHz, which HarpCodec does not have yet; use --codes-out")
    }
}
