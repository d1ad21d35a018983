import CSndFile
import Foundation

/// Reads any file libsndfile reads (WAV, FLAC, OGG/Vorbis, Opus, MP3, AIFF, …) as Float32,
/// in chunks, so a long file is never held whole.
///
/// Integer formats are scaled to [-1, 1); float files pass through unchanged. The header's frame
/// count is never used to size an allocation: every read is bounded by the requested chunk.
/// When the stream ends early for a lossless encoding, `read` throws `AudioError.truncated`.
public final class AudioFileReader {
    public let path: String
    public let format: AudioFormat
    public let sampleRate: Int
    public let channelCount: Int
    /// Frames the header announces (exact for lossless encodings, an estimate for some lossy ones).
    public let declaredFrameCount: Int
    /// Frames returned so far.
    public private(set) var framesRead = 0

    private var handle: OpaquePointer?

    /// Opens `path` for reading; throws `AudioError` for missing, empty, unreadable or absurd files.
    public init(path: String) throws {
        self.path = path
        try Self.checkIsReadableFile(path)
        try WAVHeaderCheck.validate(path: path)
        var info = SF_INFO()
        guard let handle = sf_open(path, Int32(SFM_READ), &info) else {
            throw AudioError.unreadable(path: path, reason: Self.sndfileMessage(nil))
        }
        self.handle = handle
        format = AudioFormat(sndfileFormat: info.format)
        sampleRate = Int(info.samplerate)
        channelCount = Int(info.channels)
        declaredFrameCount = max(0, Int(info.frames))
        guard (1...AudioFormat.maximumChannelCount).contains(channelCount) else {
            throw AudioError.unsupportedChannelCount(path: path, channelCount: channelCount)
        }
        try AudioFormat.validate(sampleRate: sampleRate, path: path)
    }

    deinit { close() }

    /// Duration the header announces, in seconds.
    public var declaredDurationSeconds: Double { Double(declaredFrameCount) / Double(sampleRate) }

    /// Reads up to `maxFrameCount` frames; returns nil at the end of the stream.
    public func read(maxFrameCount: Int = 65_536) throws -> AudioBuffer? {
        precondition(maxFrameCount > 0, "maxFrameCount must be positive")
        guard let handle else { return nil }
        var samples = [Float](repeating: 0, count: maxFrameCount * channelCount)
        let got = samples.withUnsafeMutableBufferPointer { pointer in
            Int(sf_readf_float(handle, pointer.baseAddress, sf_count_t(maxFrameCount)))
        }
        guard got > 0 else {
            try finishStream()
            return nil
        }
        framesRead += got
        samples.removeLast((maxFrameCount - got) * channelCount)
        return AudioBuffer(interleaved: samples, channelCount: channelCount, sampleRate: sampleRate)
    }

    /// Reads the rest of the file into one buffer (memory grows with the audio actually decoded).
    public func readAll(chunkFrameCount: Int = 65_536) throws -> AudioBuffer {
        var whole = AudioBuffer.empty(channelCount: channelCount, sampleRate: sampleRate)
        while let chunk = try read(maxFrameCount: chunkFrameCount) { whole.append(chunk) }
        return whole
    }

    /// Reads a whole file.
    public static func readAll(path: String) throws -> AudioBuffer {
        try AudioFileReader(path: path).readAll()
    }

    /// Closes the file; further reads return nil.
    public func close() {
        if let handle { sf_close(handle) }
        handle = nil
    }

    private func finishStream() throws {
        let code = sf_error(handle)
        let message = Self.sndfileMessage(handle)
        close()
        if code != 0 { throw AudioError.unreadable(path: path, reason: message) }
        if format.encoding.isLossless && framesRead < declaredFrameCount {
            throw AudioError.truncated(path: path, declaredFrameCount: declaredFrameCount,
                                       actualFrameCount: framesRead)
        }
    }

    private static func checkIsReadableFile(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw AudioError.fileNotFound(path: path)
        }
        if isDirectory.boolValue { throw AudioError.isDirectory(path: path) }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        if size == 0 { throw AudioError.emptyFile(path: path) }
    }

    static func sndfileMessage(_ handle: OpaquePointer?) -> String {
        guard let message = sf_strerror(handle) else { return "unknown libsndfile error" }
        // libsndfile messages are sentences, sometimes over several lines; keep one line.
        return String(cString: message)
            .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
    }
}
