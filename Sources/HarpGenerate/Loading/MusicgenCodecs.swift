import Foundation
import HarpCodec
import HarpTensor

/// The audio codec a MusicGen checkpoint carries (`audio_encoder.*`, EnCodec 32 kHz for the
/// published models), built by `HarpCodec`'s loader.
public enum MusicgenCodecs {
    /// Builds the checkpoint's codec from its `audio_encoder` configuration and weights.
    ///
    /// `CodecLoader` reads a codec folder, so the configuration and the prefix-stripped weights are
    /// written to a temporary folder, loaded, and the folder removed (the codec keeps its own
    /// copies of the tensors). The codec's identity hash is that of these weights.
    public static let factory: AudioCodecFactory = { configurationJSON, weights in
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("harp-musicgen-codec-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try configurationJSON.write(to: folder.appendingPathComponent(CodecLoader.configurationFileName))
            try SafeTensors.write(weights, to: folder.appendingPathComponent(CodecLoader.weightsFileName))
        } catch {
            throw GenerateError.codec("cannot stage the codec's weights in \(folder.path): \(error)")
        }
        do {
            return try CodecLoader.load(folder: folder)
        } catch {
            throw GenerateError.codec("\(error)")
        }
    }
}
