import ArgumentParser
import Foundation
import HarpAudio
import HarpDenoise

/// `harp denoise IN -o OUT [--atten-lim-db DB] [--post-filter]`.
struct DenoiseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "denoise",
        abstract: "Remove noise from speech with DeepFilterNet3 (weights bundled; no download).",
        discussion: """
            Reads anything libsndfile reads, at any rate: each channel is resampled to 48 kHz, \
            enhanced by DeepFilterNet3 (its published weights, run natively), resampled back and \
            realigned, so OUT has IN's rate, channels and length. The file is streamed in chunks \
            (bounded memory) and OUT (.wav or .flac) is written to a temporary file and renamed \
            into place when complete. Ctrl-C stops cleanly and writes nothing.

            DeepFilterNet3 was trained on speech: on music it removes much of the music itself. \
            --content picks the default attenuation limit (speech: none; music: \
            \(Int(DenoiseDefaults.musicAttenuationLimitDecibels)) dB, which keeps the music and takes \
            the edge off the noise); --atten-lim-db overrides it (100 = no limit). See docs/denoise.md.

            Prints DeepFilterNet3's own estimate of the SNR (mean local SNR over hops with sound) \
            before and after.
            """)

    @Argument(help: "The audio file to denoise.")
    var input: String

    @Option(name: .shortAndLong, help: "The file to write (.wav or .flac).")
    var output: String

    @Option(name: .customLong("atten-lim-db"),
            help: ArgumentHelp("Limit the noise reduction to this many dB (0...100; 100 = no limit).", valueName: "db"))
    var attenuationLimit: Float?

    @Option(help: "What the audio is: speech or music (sets the default --atten-lim-db).")
    var content = DenoiseContent.speech

    @Flag(help: "Apply DeepFilterNet's post filter (beta 0.02): stronger suppression of residual noise.")
    var postFilter = false

    @Option(help: ArgumentHelp("DeepFilterNet3 weights (safetensors, see tools/convert_dfn3.py) instead of the bundled ones (also $HARP_DENOISE_MODEL).", valueName: "path"))
    var model: String?

    func validate() throws {
        if let attenuationLimit, !(attenuationLimit >= 0 && attenuationLimit <= 100) {
            throw ValidationError("--atten-lim-db must be in 0...100")
        }
    }

    func run() throws {
        InterruptFlag.install()
        try ErrorReporting.reportingFailure(subject: input) {
            let summary = try AudioFileSummary.measure(path: input)
            if let error = summary.nonFiniteError { throw error }
            guard summary.frameCount > 0 else { throw DenoiseError.invalidArgument("the file holds no audio (0 frames)") }
            guard !FilePaths.referToSameFile(input, output) else { throw AudioError.outputIsInput(path: output) }
            let weights = try model.map { try DeepFilterNetWeights(contentsOf: URL(fileURLWithPath: $0)) }
                ?? DeepFilterNetWeights.bundled()
            let limit = attenuationLimit ?? content.defaultAttenuationLimitDecibels
            try denoise(weights: weights, summary: summary, limit: limit)
        }
    }

    private func denoise(weights: DeepFilterNetWeights, summary: AudioFileSummary, limit: Float) throws {
        let reader = try AudioFileReader(path: input)
        let format = try AudioFormat.forWriting(path: output, encoding: nil, inputEncoding: reader.format.encoding)
        let writer = try AudioFileWriter(path: output, format: format, sampleRate: reader.sampleRate,
                                         channelCount: reader.channelCount)
        let denoiser = try AudioDenoiser(weights: weights, sampleRate: reader.sampleRate,
                                         channelCount: reader.channelCount,
                                         attenuationLimitDecibels: limit >= 100 ? nil : limit,
                                         postFilterBeta: postFilter ? 0.02 : 0)
        let chunk = max(reader.sampleRate / 2, 1)
        var progress = ProgressBar(total: summary.frameCount, label: "denoise")
        let showProgress = summary.durationSeconds >= 30
        let start = Date()
        while let buffer = try reader.read(maxFrameCount: chunk) {
            if InterruptFlag.isRaised {
                writer.discard()
                FileHandle.standardError.write(Data("harp: interrupted; nothing written\n".utf8))
                throw ExitCode(130)
            }
            try writer.write(try denoiser.process(buffer))
            if showProgress { progress.update(completed: reader.framesRead) }
        }
        try writer.write(denoiser.finish())
        try writer.commit()
        if showProgress { progress.finish() }
        let seconds = Date().timeIntervalSince(start)
        let limitText = limit >= 100 ? "no attenuation limit" : "attenuation limit \(String(format: "%g", Double(limit))) dB"
        print("\(output): \(summary.channelCount) ch, \(summary.sampleRate) Hz, "
              + "\(Formatting.seconds(summary.durationSeconds)) s, \(limitText)\(postFilter ? ", post filter" : "") "
              + "(\(Formatting.seconds(seconds)) s, real-time factor \(String(format: "%.3f", seconds / max(summary.durationSeconds, 1e-9))))")
        if summary.peakDecibels == -.infinity || denoiser.inputSNRDecibels == nil {
            print("input is silent: output is silent")
        } else {
            print("estimated SNR before: \(snrText(denoiser.inputSNRDecibels)), after: \(snrText(denoiser.outputSNRDecibels))")
        }
    }

    private func snrText(_ value: Double?) -> String {
        value.map { String(format: "%.1f dB", $0) } ?? "n/a (silent)"
    }
}

/// The `--content` values.
enum DenoiseContent: String, ExpressibleByArgument, CaseIterable {
    case speech, music

    var defaultAttenuationLimitDecibels: Float {
        switch self {
        case .speech: return 100
        case .music: return DenoiseDefaults.musicAttenuationLimitDecibels
        }
    }
}
