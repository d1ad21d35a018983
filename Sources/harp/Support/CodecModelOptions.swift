import ArgumentParser
import Foundation
import HarpCodec

/// `--model DIR`, shared by the codec commands.
struct CodecModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "A codec folder as published: config.json + model.safetensors (EnCodec 24/32/48 kHz, DAC 44.1 kHz, or one from harp train codec); default: the bundled 24 kHz codec.",
        valueName: "dir"), completion: .directory)
    var model: String?

    /// Loads the codec, or explains why there is none.
    func load() throws -> any NeuralCodec {
        guard let model else { return try BundledCodec.load() }
        return try CodecLoader.load(folder: URL(fileURLWithPath: model))
    }
}

/// A codec command's own one-line failure.
struct CodecCommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
