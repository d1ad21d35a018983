import ArgumentParser
import Foundation
import HarpCodec
import HarpTensor

/// `harp codec …`: neural codec tasks beyond plain encode and decode.
struct CodecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec",
        abstract: "Neural codec tools: measure a round trip.",
        subcommands: [CodecRoundTripCommand.self])
}

/// `harp codec roundtrip IN -o OUT.wav [--model DIR] [--bandwidth KBPS]`.
struct CodecRoundTripCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roundtrip",
        abstract: "Encode and decode a file, write the result and print how close it is to the input.",
        discussion: """
            Prints DAC's multi-scale mel distance (lower is better), SI-SDR in dB (higher is better) and \
            auraloss's multi-resolution STFT distance (lower is better), all against the input as the \
            model hears it (mixed and resampled to the model's channels and rate).
            """)

    @Argument(help: "The audio file to pass through the codec.")
    var input: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The decoded audio (.wav or .flac).", valueName: "file"))
    var output: String

    @OptionGroup var model: CodecModelOptions

    @Option(help: ArgumentHelp("Bandwidth in kbit/s (one the model offers; default its highest).", valueName: "kbps"))
    var bandwidth: Double?

    func run() throws {
        try ErrorReporting.reportingFailure(subject: input) {
            try CodecSupport.checkDistinct(input: input, output: output)
            let codec = try model.load()
            let bandwidth = try CodecSupport.checkedBandwidth(bandwidth, for: codec)
            let audio = try CodecSupport.readAudio(input, for: codec)
            let encoded = try codec.encode(audio, bandwidth: bandwidth)
            let decoded = try codec.decode(encoded)
            try CodecSupport.writeAudio(sampleRate: codec.sampleRate, channelCount: codec.channelCount, to: output) { write in
                try write(decoded)
            }
            let quality = CodecQuality.measure(decoded, against: audio, sampleRate: codec.sampleRate)
            print("\(output): \(codec.identity.name) at \(Formatting.kbps(encoded.bandwidth)) kbps")
            print(String(format: "mel distance %.3f   SI-SDR %.2f dB   STFT distance %.3f",
                         quality.melDistance, quality.siSDR, quality.stftDistance))
        }
    }
}
