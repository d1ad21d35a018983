import ArgumentParser
import Foundation
import HarpCodec
import HarpTensor

/// `harp encode IN -o OUT.harpc|OUT.npy [--model DIR] [--bandwidth KBPS]`.
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode audio into a neural codec's codes (.harpc, or .npy integers).",
        discussion: """
            Reads any audio file, mixes and resamples it to what the model takes, and writes the codes; \
            the audio is read a few seconds at a time, so files of any length encode in bounded memory. \
            A .harpc file holds the model's identity (name and a hash of its weights), rate, channels, \
            bandwidth and the codes packed at ceil(log2 codebook size) bits each; only the same weights \
            decode it. A .npy file holds the codes alone as int64 [chunks, codebooks, frames].
            """)

    @Argument(help: "The audio file to encode.")
    var input: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the codes: .harpc or .npy.", valueName: "file"))
    var output: String

    @OptionGroup var model: CodecModelOptions

    @Option(help: ArgumentHelp("Bandwidth in kbit/s (one the model offers; default its highest).", valueName: "kbps"))
    var bandwidth: Double?

    func validate() throws {
        guard output.hasSuffix(".harpc") || output.hasSuffix(".npy") else {
            throw ValidationError("-o must end in .harpc or .npy (got \(output))")
        }
    }

    func run() throws {
        try ErrorReporting.reportingFailure(subject: input) {
            try CodecSupport.checkDistinct(input: input, output: output)
            let codec = try model.load()
            let bandwidth = try CodecSupport.checkedBandwidth(bandwidth, for: codec)
            let source = try StreamingCodecInput(path: input, sampleRate: codec.sampleRate,
                                                 channelCount: codec.channelCount)
            let encoded = try codec.encode(sampleCount: source.sampleCount, bandwidth: bandwidth) { try source.samples($0) }
            guard source.peak >= CodecInput.silenceThreshold else { throw CodecInputError.silent }
            let file = HarpcFile(codec: codec, encoded: encoded)
            if output.hasSuffix(".npy") {
                guard encoded.scales == nil else {
                    throw CodecCommandError("\(codec.identity.name) stores a loudness scale per chunk, which .npy "
                                            + "cannot hold; write .harpc instead")
                }
                try NPY.write(encoded.codes, to: URL(fileURLWithPath: output))
            } else {
                try file.write(to: URL(fileURLWithPath: output))
            }
            print(summary(file, encoded: encoded))
        }
    }

    private func summary(_ file: HarpcFile, encoded: EncodedAudio) -> String {
        let size = CodecSupport.fileSize(output) ?? 0
        var line = "\(output): \(encoded.codebookCount) codebooks × \(encoded.chunkCount * encoded.frameCount) frames "
            + "at \(Formatting.kbps(encoded.bandwidth)) kbps; \(Formatting.kbps(file.bitrate / 1000)) kbit/s achieved; "
            + "\(Formatting.bytes(size))"
        if let source = CodecSupport.fileSize(input), source > 0 {
            line += String(format: " (%.2f %% of %@, %@)", 100 * Double(size) / Double(source),
                           (input as NSString).lastPathComponent, Formatting.bytes(source))
        }
        return line
    }
}
