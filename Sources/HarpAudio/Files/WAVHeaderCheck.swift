import Foundation

/// Checks a RIFF/WAVE header before libsndfile sees it: the channel count and sample rate in
/// `fmt ` (so a zero gets a clear message rather than libsndfile's "SF_INFO struct incomplete"),
/// and the `data` size against the file's real size.
///
/// libsndfile quietly shortens a `data` chunk that claims more bytes than the file holds, so a
/// truncated WAV (or one whose header claims gigabytes) would read as a shorter, valid file.
/// Harp reports it instead. Only the first few kilobytes are read.
// ref: RIFF/WAVE chunk layout, Microsoft Multimedia Programming Interface and Data Specifications 1.0
enum WAVHeaderCheck {
    /// Size fields that streaming writers use for "unknown length"; these are not truncation.
    private static let unknownLengthMarkers: Set<UInt32> = [0, 0xFFFF_FFFF]
    private static let headerProbeByteCount = 64 * 1024

    static func validate(path: String) throws {
        guard let file = FileHandle(forReadingAtPath: path) else { return }
        defer { try? file.close() }
        guard let fileSize = try? file.seekToEnd(), (try? file.seek(toOffset: 0)) != nil,
              let header = try? file.read(upToCount: headerProbeByteCount),
              header.count >= 12,
              header.prefix(4) == Data("RIFF".utf8), header[8..<12] == Data("WAVE".utf8)
        else { return }
        try validateFormatChunk(in: [UInt8](header), path: path)
        guard let (dataOffset, dataSize) = dataChunk(in: [UInt8](header)),
              !unknownLengthMarkers.contains(dataSize) else { return }
        let available = Int64(fileSize) - Int64(dataOffset)
        guard Int64(dataSize) > available else { return }
        let blockAlign = blockAlignment(in: [UInt8](header)) ?? 1
        throw AudioError.truncated(path: path, declaredFrameCount: Int(dataSize) / blockAlign,
                                   actualFrameCount: Int(max(0, available)) / blockAlign)
    }

    /// Rejects a `fmt ` chunk declaring no channels or an unsupported sample rate.
    private static func validateFormatChunk(in bytes: [UInt8], path: String) throws {
        guard let offset = chunkOffset("fmt ", in: bytes), offset + 16 <= bytes.count else { return }
        let channelCount = Int(bytes[offset + 2]) | Int(bytes[offset + 3]) << 8
        let sampleRate = Int(littleEndianUInt32(bytes, at: offset + 4))
        guard channelCount > 0 else { throw AudioError.unsupportedChannelCount(path: path, channelCount: 0) }
        try AudioFormat.validate(sampleRate: sampleRate, path: path)
    }

    /// Offset of a chunk's payload, found by walking the chunks in the probed bytes.
    private static func chunkOffset(_ identifier: String, in bytes: [UInt8]) -> Int? {
        var offset = 12
        while offset + 8 <= bytes.count {
            if bytes[offset..<offset + 4].elementsEqual(identifier.utf8) { return offset + 8 }
            let size = littleEndianUInt32(bytes, at: offset + 4)
            offset += 8 + Int(size) + Int(size & 1)
        }
        return nil
    }

    /// Offset of the `data` payload and its declared byte count, if found in the probed bytes.
    private static func dataChunk(in bytes: [UInt8]) -> (offset: Int, size: UInt32)? {
        var offset = 12
        while offset + 8 <= bytes.count {
            let size = littleEndianUInt32(bytes, at: offset + 4)
            if bytes[offset..<offset + 4].elementsEqual("data".utf8) { return (offset + 8, size) }
            // Chunks are padded to an even length.
            offset += 8 + Int(size) + Int(size & 1)
        }
        return nil
    }

    private static func blockAlignment(in bytes: [UInt8]) -> Int? {
        var offset = 12
        while offset + 8 <= bytes.count {
            let size = littleEndianUInt32(bytes, at: offset + 4)
            if bytes[offset..<offset + 4].elementsEqual("fmt ".utf8), offset + 22 <= bytes.count {
                let align = Int(bytes[offset + 20]) | Int(bytes[offset + 21]) << 8
                return align > 0 ? align : nil
            }
            offset += 8 + Int(size) + Int(size & 1)
        }
        return nil
    }

    private static func littleEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }
}
