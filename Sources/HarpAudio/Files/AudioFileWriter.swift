import CSndFile
import Foundation

/// Writes WAV (16/24-bit int, 32-bit float) or FLAC (16/24-bit) in chunks, safely.
///
/// Audio goes to a hidden temporary file in the destination folder; `commit()` closes it and
/// renames it over the destination in one step, so readers never see a half-written file.
/// If the writer is dropped (or `discard()` is called) without a commit, the temporary file is removed.
/// Samples outside [-1, 1] are clipped when the encoding is integer.
public final class AudioFileWriter {
    public let path: String
    public let format: AudioFormat
    public let sampleRate: Int
    public let channelCount: Int
    /// Where the audio is written until `commit()`.
    public let temporaryPath: String
    public private(set) var framesWritten = 0

    private var handle: OpaquePointer?
    private var isCommitted = false

    /// Creates the temporary file next to `path`.
    public init(path: String, format: AudioFormat, sampleRate: Int, channelCount: Int) throws {
        guard let sndfileFormat = format.writableSndfileFormat else {
            throw AudioError.unsupportedOutputFormat(path: path, reason: "Harp cannot write \(format)")
        }
        try AudioFormat.validate(sampleRate: sampleRate, path: path)
        guard (1...AudioFormat.maximumChannelCount).contains(channelCount) else {
            throw AudioError.unsupportedChannelCount(path: path, channelCount: channelCount)
        }
        self.path = path
        self.format = format
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        temporaryPath = Self.temporaryPath(next: path)
        var info = SF_INFO(frames: 0, samplerate: Int32(sampleRate), channels: Int32(channelCount),
                           format: sndfileFormat, sections: 0, seekable: 0)
        guard sf_format_check(&info) != 0 else {
            throw AudioError.unsupportedOutputFormat(
                path: path, reason: "\(format) cannot store \(channelCount) channels at \(sampleRate) Hz")
        }
        guard let handle = sf_open(temporaryPath, Int32(SFM_WRITE), &info) else {
            throw AudioError.writeFailed(path: path, reason: AudioFileReader.sndfileMessage(nil))
        }
        self.handle = handle
        // Without clipping, libsndfile wraps out-of-range floats around when converting to integers.
        sf_command(handle, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        // libsndfile's PEAK chunk carries a timestamp, which would make equal audio differ by file.
        sf_command(handle, Int32(SFC_SET_ADD_PEAK_CHUNK), nil, Int32(SF_FALSE))
    }

    deinit { discard() }

    /// Appends a chunk; its layout must match the writer's.
    public func write(_ buffer: AudioBuffer) throws {
        guard buffer.channelCount == channelCount, buffer.sampleRate == sampleRate else {
            throw AudioError.invalidArgument(
                "buffer is \(buffer.channelCount) ch at \(buffer.sampleRate) Hz; writer expects "
                    + "\(channelCount) ch at \(sampleRate) Hz")
        }
        guard let handle else { throw AudioError.writeFailed(path: path, reason: "writer is closed") }
        let written = buffer.samples.withUnsafeBufferPointer { pointer in
            Int(sf_writef_float(handle, pointer.baseAddress, sf_count_t(buffer.frameCount)))
        }
        guard written == buffer.frameCount else {
            throw AudioError.writeFailed(path: path, reason: AudioFileReader.sndfileMessage(handle))
        }
        framesWritten += written
    }

    /// Finishes the file and renames it into place, replacing any file at `path`.
    public func commit() throws {
        guard let handle, !isCommitted else { throw AudioError.writeFailed(path: path, reason: "writer is closed") }
        self.handle = nil
        guard sf_close(handle) == 0 else {
            removeTemporaryFile()
            throw AudioError.writeFailed(path: path, reason: "could not finish the file")
        }
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            removeTemporaryFile()
            throw AudioError.writeFailed(path: path, reason: reason)
        }
        isCommitted = true
    }

    /// Abandons the file: closes and removes the temporary file. Safe to call more than once.
    public func discard() {
        if let handle { sf_close(handle) }
        handle = nil
        if !isCommitted { removeTemporaryFile() }
    }

    private func removeTemporaryFile() {
        unlink(temporaryPath)
    }

    /// A hidden, unique name in the destination folder, so the final rename stays on one file system.
    private static func temporaryPath(next path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = ".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).harp-tmp"
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }
}
