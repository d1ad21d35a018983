import Foundation
import HarpAudio
import HarpCodec
import HarpTensor

/// Steps the codec commands share: checking a bandwidth, reading audio for a model, writing its output.
enum CodecSupport {
    /// `bandwidth` if the model offers it; a line listing the ones it does otherwise.
    static func checkedBandwidth(_ bandwidth: Double?, for codec: any NeuralCodec) throws -> Double? {
        guard let bandwidth else { return nil }
        guard codec.bandwidths.contains(where: { abs($0 - bandwidth) < 1e-9 }) else {
            let offered = codec.bandwidths.map(Formatting.kbps).joined(separator: ", ")
            throw CodecCommandError("--bandwidth \(Formatting.kbps(bandwidth)) is not offered by \(codec.identity.name); "
                                    + "it offers \(offered) kbps")
        }
        return bandwidth
    }

    /// The whole audio of `path` as the codec takes it: `[channels, samples]` at its rate.
    static func readAudio(_ path: String, for codec: any NeuralCodec) throws -> Tensor {
        let buffer = try AudioFileReader.readAll(path: path)
        return try CodecInput.prepare(buffer, sampleRate: codec.sampleRate, channelCount: codec.channelCount)
    }

    /// Writes the blocks `[channels, n]` that `produce` hands to its argument to `path` as they
    /// come (WAV or FLAC by extension); the file appears, whole, only when `produce` returns.
    static func writeAudio(sampleRate: Int, channelCount: Int, to path: String,
                           _ produce: ((Tensor) throws -> Void) throws -> Void) throws {
        let format = try AudioFormat.forWriting(path: path, encoding: nil)
        let writer = try AudioFileWriter(path: path, format: format, sampleRate: sampleRate, channelCount: channelCount)
        try produce { block in try writer.write(CodecInput.buffer(block, sampleRate: sampleRate)) }
        try writer.commit()
    }

    /// Writes `audio` `[channels, samples]` to `path` (WAV or FLAC by extension), atomically.
    static func writeAudio(_ audio: Tensor, sampleRate: Int, to path: String) throws {
        let format = try AudioFormat.forWriting(path: path, encoding: nil)
        let buffer = CodecInput.buffer(audio, sampleRate: sampleRate)
        let writer = try AudioFileWriter(path: path, format: format, sampleRate: sampleRate,
                                         channelCount: buffer.channelCount)
        try writer.write(buffer)
        try writer.commit()
    }

    /// The size of the file at `path` in bytes, or nil.
    static func fileSize(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
    }

    /// Refuses an output path that is the input (symlinks and hard links followed).
    static func checkDistinct(input: String, output: String) throws {
        guard !FilePaths.referToSameFile(input, output) else { throw AudioError.outputIsInput(path: output) }
    }
}
