import ArgumentParser
import Foundation
import HarpCodec
import HarpTensor

/// `harp decode IN.harpc|IN.npy -o OUT.wav [--model DIR]`.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode a neural codec's codes (.harpc, or .npy with --model) back to audio.",
        discussion: """
            A .harpc file is refused unless --model holds the very weights that made it. A .npy file \
            holds integers [codebooks, frames], [chunks, codebooks, frames] or [chunks, 1, codebooks, \
            frames] (the transformers layout); its length is taken as whole frames.
            """)

    @Argument(help: "The codes: a .harpc file, or a .npy integer array.")
    var input: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The audio file to write (.wav or .flac).", valueName: "file"))
    var output: String

    @OptionGroup var model: CodecModelOptions

    func run() throws {
        try ErrorReporting.reportingFailure(subject: input) {
            try CodecSupport.checkDistinct(input: input, output: output)
            let codec = try model.load()
            let encoded = try input.hasSuffix(".npy") ? codesFromNPY(for: codec) : codesFromHarpc(for: codec)
            try CodecSupport.writeAudio(sampleRate: codec.sampleRate, channelCount: codec.channelCount, to: output) { write in
                try codec.decode(encoded, writing: write)
            }
            let seconds = Double(encoded.sampleCount) / Double(codec.sampleRate)
            print("\(output): \(Formatting.seconds(seconds)) s at \(codec.sampleRate) Hz, \(codec.channelCount) ch, "
                  + "from \(encoded.codebookCount) codebooks at \(Formatting.kbps(encoded.bandwidth)) kbps")
        }
    }

    private func codesFromHarpc(for codec: any NeuralCodec) throws -> EncodedAudio {
        let file = try HarpcFile.read(contentsOf: URL(fileURLWithPath: input))
        try file.check(against: codec)
        return file.encodedAudio
    }

    private func codesFromNPY(for codec: any NeuralCodec) throws -> EncodedAudio {
        let array = try NPY.readIntegers(contentsOf: URL(fileURLWithPath: input))
        let codes: IntTensor
        switch array.rank {
        case 2: codes = array.reshaped([1] + array.shape)
        case 3: codes = array
        case 4 where array.shape[1] == 1: codes = array.reshaped([array.shape[0], array.shape[2], array.shape[3]])
        default:
            throw CodecCommandError("codes of shape \(array.shape): expected [codebooks, frames] or [chunks, codebooks, frames]")
        }
        return try EncodedAudio(codes: codes, for: codec)
    }
}
