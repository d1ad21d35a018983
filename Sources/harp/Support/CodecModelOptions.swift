import ArgumentParser
import Foundation
import HarpCodec

/// `--model DIR`, shared by the codec commands.
struct CodecModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "A codec folder as published: config.json + model.safetensors (EnCodec 24/32/48 kHz, DAC 44.1 kHz).",
        valueName: "dir"), completion: .directory)
    var model: String?

    /// Loads the codec, or explains why there is none.
    func load() throws -> any NeuralCodec {
        guard let model else {
            throw CodecCommandError("--model DIR is required: no default codec is bundled yet; "
                                    + "pass a folder holding config.json and model.safetensors")
        }
        return try CodecLoader.load(folder: URL(fileURLWithPath: model))
    }
}

/// A codec command's own one-line failure.
struct CodecCommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
