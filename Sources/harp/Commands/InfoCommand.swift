import ArgumentParser
import Foundation
import HarpAudio

/// `harp info FILE... [--json]`: format, rate, channels, duration and levels of audio files.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe audio files: format, sample rate, channels, duration, peak, RMS and loudness.",
        discussion: """
            Prints one line per file. Files are read in chunks (never loaded whole), so long \
            recordings are fine. Anything libsndfile reads is accepted: WAV, FLAC, OGG/Vorbis, Opus, MP3, AIFF, …

            peak   largest absolute sample, dB relative to full scale (dBFS)
            rms    root mean square over all samples of all channels, dBFS (a full-scale sine is -3.01)
            lufs   integrated loudness, ITU-R BS.1770-4 (K-weighted, gated); -inf when silent or under 400 ms

            With --json, each line is instead one JSON object (JSON Lines); levels that are -inf are null.

            A file that cannot be read gets one line on stderr (harp: error: FILE: reason) and the \
            other files are still described. Samples that are NaN or Inf are left out of the levels, \
            and the file is reported as an error. The exit status is non-zero if any file failed.
            """)

    @Argument(help: "Audio files to describe.")
    var files: [String]

    @Flag(help: "Print one JSON object per file instead of text.")
    var json = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one audio file") }
    }

    func run() throws {
        var anyFailed = false
        for file in files {
            do {
                let summary = try AudioFileSummary.measure(path: file)
                print(json ? try jsonLine(summary) : textLine(summary))
                if let problem = summary.nonFiniteError {
                    ErrorReporting.report(problem)
                    anyFailed = true
                }
            } catch {
                ErrorReporting.report(error, subject: file)
                anyFailed = true
            }
        }
        if anyFailed { throw ExitCode.failure }
    }

    private func textLine(_ summary: AudioFileSummary) -> String {
        var line = "\(summary.path): \(summary.format), \(summary.sampleRate) Hz, \(summary.channelCount) ch, "
            + "\(Formatting.seconds(summary.durationSeconds)) s, "
            + "peak \(Formatting.decibels(summary.peakDecibels)) dBFS, "
            + "rms \(Formatting.decibels(summary.rmsDecibels)) dBFS, "
            + "\(Formatting.decibels(summary.integratedLoudness)) LUFS"
        if summary.nonFiniteSampleCount > 0 { line += ", \(summary.nonFiniteSampleCount) non-finite samples" }
        return line
    }

    private func jsonLine(_ summary: AudioFileSummary) throws -> String {
        let record = InfoRecord(
            path: summary.path, container: summary.format.container.rawValue,
            encoding: summary.format.encoding.rawValue, sampleRate: summary.sampleRate,
            channelCount: summary.channelCount, frameCount: summary.frameCount,
            durationSeconds: summary.durationSeconds,
            peakDecibels: Formatting.jsonNumber(summary.peakDecibels),
            rmsDecibels: Formatting.jsonNumber(summary.rmsDecibels),
            integratedLoudness: Formatting.jsonNumber(summary.integratedLoudness),
            nonFiniteSampleCount: summary.nonFiniteSampleCount)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(record), as: UTF8.self)
    }
}

/// The JSON shape of one `harp info --json` line.
private struct InfoRecord: Encodable {
    let path: String
    let container: String
    let encoding: String
    let sampleRate: Int
    let channelCount: Int
    let frameCount: Int
    let durationSeconds: Double
    let peakDecibels: Double?
    let rmsDecibels: Double?
    let integratedLoudness: Double?
    let nonFiniteSampleCount: Int

    func encode(to encoder: Encoder) throws {
        // Write nulls explicitly so every line has the same keys.
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(self.container, forKey: .container)
        try container.encode(encoding, forKey: .encoding)
        try container.encode(sampleRate, forKey: .sampleRate)
        try container.encode(channelCount, forKey: .channelCount)
        try container.encode(frameCount, forKey: .frameCount)
        try container.encode(durationSeconds, forKey: .durationSeconds)
        try container.encode(peakDecibels, forKey: .peakDecibels)
        try container.encode(rmsDecibels, forKey: .rmsDecibels)
        try container.encode(integratedLoudness, forKey: .integratedLoudness)
        try container.encode(nonFiniteSampleCount, forKey: .nonFiniteSampleCount)
    }

    private enum CodingKeys: String, CodingKey {
        case path, container, encoding, sampleRate, channelCount, frameCount, durationSeconds
        case peakDecibels, rmsDecibels, integratedLoudness, nonFiniteSampleCount
    }
}
