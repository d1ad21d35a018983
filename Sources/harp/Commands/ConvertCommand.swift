import ArgumentParser
import HarpAudio

/// `harp convert IN OUT [--rate R] [--mono] [--bits 16|24|32f]`.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert an audio file to WAV or FLAC, optionally resampling and mixing to mono.",
        discussion: """
            Reads anything libsndfile reads; OUT's extension picks the container (.wav or .flac). \
            The audio is streamed in chunks, written to a hidden temporary file beside OUT, and \
            renamed into place only when complete, so OUT is never half-written. OUT may not be \
            IN (symlinks and hard links are followed).

            --rate resamples with a band-limited windowed-sinc filter (flat to 0.9 x Nyquist, \
            >= 90 dB alias rejection). --mono averages all channels. --bits chooses 16- or 24-bit \
            integers or 32-bit float (WAV only); by default 16- and 24-bit inputs keep their depth, \
            anything else becomes 32-bit float in WAV and 24-bit in FLAC. Integer output is clipped to full scale.

            Input holding NaN or Inf samples is refused (nothing is written): such values have no \
            meaning in an audio file and would turn into full-scale clicks.
            """)

    @Argument(help: "The audio file to read.")
    var input: String

    @Argument(help: "The file to write; must end in .wav or .flac.")
    var output: String

    @Option(help: ArgumentHelp("Output sample rate in Hz (1...768000).", valueName: "hz"))
    var rate: Int?

    @Flag(help: "Mix all channels down to one.")
    var mono = false

    @Option(help: "Output sample format: 16, 24 or 32f (32-bit float, WAV only).")
    var bits: BitDepth?

    func run() throws {
        if let rate {
            try ErrorReporting.reportingFailure(subject: "--rate \(rate)") {
                try AudioFormat.validate(sampleRate: rate)
            }
        }
        let converter = AudioFileConverter(sampleRate: rate, channelMixing: mono ? .mono : .all,
                                           encoding: bits?.encoding)
        try ErrorReporting.reportingFailure(subject: input) {
            let result = try converter.convert(inputPath: input, outputPath: output)
            let seconds = Double(result.frameCount) / Double(result.sampleRate)
            print("\(output): \(result.format), \(result.sampleRate) Hz, \(result.channelCount) ch, "
                  + "\(Formatting.seconds(seconds)) s")
        }
    }
}

/// The `--bits` values.
enum BitDepth: String, ExpressibleByArgument, CaseIterable {
    case int16 = "16"
    case int24 = "24"
    case float32 = "32f"

    var encoding: AudioFormat.SampleEncoding {
        switch self {
        case .int16: return .pcm16
        case .int24: return .pcm24
        case .float32: return .float32
        }
    }
}
