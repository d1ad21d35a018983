import Foundation
import HarpTensor

/// A `.harpc` file: the codes a neural codec made for one piece of audio, with everything needed
/// to decode them and to refuse a model that did not make them.
///
/// Layout (version 1; all integers little-endian):
///
/// | bytes | field |
/// | --- | --- |
/// | 8 | signature `89 48 41 52 50 43 0D 0A` (`\x89HARPC\r\n`: catches text-mode transfers) |
/// | 2 | format version, `UInt16` |
/// | 4 | header length `h`, `UInt32`, at most `headerLengthLimit` |
/// | h | header, UTF-8 JSON (`HarpcHeader`) |
/// | ⌈n·b/8⌉ | the `n` codes of `codeShape`, row-major, `b = bitsPerCode` bits each, LSB first |
/// | 4 | CRC-32 of every byte before it, `UInt32` |
public struct HarpcFile: Equatable, Sendable {
    public static let version = 1
    public static let headerLengthLimit = 1 << 20
    static let signature: [UInt8] = [0x89, 0x48, 0x41, 0x52, 0x50, 0x43, 0x0D, 0x0A]
    static let prefixLength = 14

    public var header: HarpcHeader
    public var codes: IntTensor

    /// The file for codes `encoded` made by `codec`.
    public init(codec: any NeuralCodec, encoded: EncodedAudio) {
        header = HarpcHeader(
            model: codec.identity, sampleRate: codec.sampleRate, channelCount: codec.channelCount,
            bandwidth: encoded.bandwidth, frameRate: codec.frameRate, codebookSize: codec.codebookSize,
            bitsPerCode: CodePacking.bitsPerCode(codebookSize: codec.codebookSize),
            codeShape: encoded.codes.shape, sampleCount: encoded.sampleCount, scales: encoded.scales)
        codes = encoded.codes
    }

    /// The codes as a codec's `decode` takes them.
    public var encodedAudio: EncodedAudio {
        EncodedAudio(codes: codes, scales: header.scales, sampleCount: header.sampleCount,
                     bandwidth: header.bandwidth)
    }

    /// Bits per second of audio the codes take (the packed codes only, not the header).
    public var bitrate: Double {
        let seconds = Double(header.sampleCount) / Double(header.sampleRate)
        return seconds > 0 ? Double(codes.count * header.bitsPerCode) / seconds : 0
    }

    /// The file's bytes. Throws when a code lies outside the codebook.
    public func encoded() throws(HarpcError) -> [UInt8] {
        let limit = Int32(header.codebookSize)
        if let bad = codes.scalars.first(where: { $0 < 0 || $0 >= limit }) {
            throw .codeOutOfRange(value: bad, codebookSize: header.codebookSize)
        }
        let json: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            json = try encoder.encode(header)
        } catch {
            throw .malformedHeader("\(error)")
        }
        var bytes = Self.signature
        Self.appendLittleEndian(UInt16(Self.version), to: &bytes)
        Self.appendLittleEndian(UInt32(json.count), to: &bytes)
        bytes += json
        bytes += CodePacking.pack(codes.scalars, bits: header.bitsPerCode)
        Self.appendLittleEndian(CRC32.checksum(bytes), to: &bytes)
        return bytes
    }

    /// Writes the file to `url` atomically (a temporary file, then a rename).
    public func write(to url: URL) throws(HarpcError) {
        let bytes = try encoded()
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw .io("cannot write \(url.path): \((error as NSError).localizedDescription)")
        }
    }

    /// Throws unless `codec` is the model that made these codes (same name and weights) and
    /// offers their codebook size and count.
    public func check(against codec: any NeuralCodec) throws(HarpcError) {
        guard header.model == codec.identity else {
            throw .modelMismatch(file: header.model, model: codec.identity)
        }
        guard header.codebookSize == codec.codebookSize, header.sampleRate == codec.sampleRate,
              header.channelCount == codec.channelCount,
              codes.shape[1] <= codec.maximumCodebookCount else {
            throw .invalidHeader("codes \(header.codeShape) at \(header.sampleRate) Hz do not fit the model")
        }
    }

    /// Reads the file at `url`.
    public static func read(contentsOf url: URL) throws(HarpcError) -> HarpcFile {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw .io("cannot read \(url.path): \((error as NSError).localizedDescription)")
        }
        return try decode(data)
    }

    /// Parses and validates a file's bytes: signature, version, header, sizes, checksum, codes.
    public static func decode(_ data: Data) throws(HarpcError) -> HarpcFile {
        let result = data.withUnsafeBytes { raw in
            Result { () throws(HarpcError) in try decode(raw) }
        }
        return try result.get()
    }

    static func decode(_ raw: UnsafeRawBufferPointer) throws(HarpcError) -> HarpcFile {
        guard raw.count >= prefixLength else {
            if raw.count < signature.count || Array(raw) != Array(signature.prefix(raw.count)) {
                throw .notHarpc
            }
            throw .truncated(needed: prefixLength, available: raw.count)
        }
        guard Array(raw[0..<8]) == signature else { throw .notHarpc }
        let version = Int(readLittleEndian(UInt16.self, raw, at: 8))
        guard version == Self.version else { throw .unsupportedVersion(version) }
        let headerLength = Int(readLittleEndian(UInt32.self, raw, at: 10))
        guard headerLength <= headerLengthLimit else { throw .headerTooLarge(headerLength) }
        let headerEnd = prefixLength + headerLength
        guard raw.count >= headerEnd + 4 else { throw .truncated(needed: headerEnd + 4, available: raw.count) }
        let header = try parseHeader(UnsafeRawBufferPointer(rebasing: raw[prefixLength..<headerEnd]))
        let count = try validate(header)
        guard let payloadLength = CodePacking.byteCount(count: count, bits: header.bitsPerCode) else {
            throw .invalidHeader("code shape \(header.codeShape) is too large")
        }
        let needed = headerEnd + payloadLength + 4
        guard raw.count >= needed else { throw .truncated(needed: needed, available: raw.count) }
        guard raw.count == needed else { throw .trailingBytes(raw.count - needed) }
        let stored = readLittleEndian(UInt32.self, raw, at: needed - 4)
        guard CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<(needed - 4)])) == stored else {
            throw .checksumMismatch
        }
        let payload = UnsafeRawBufferPointer(rebasing: raw[headerEnd..<(headerEnd + payloadLength)])
        let values = CodePacking.unpack(payload, count: count, bits: header.bitsPerCode)
        if let bad = values.first(where: { $0 >= Int32(header.codebookSize) }) {
            throw .codeOutOfRange(value: bad, codebookSize: header.codebookSize)
        }
        return HarpcFile(header: header, codes: IntTensor(shape: header.codeShape, scalars: values))
    }

    private init(header: HarpcHeader, codes: IntTensor) {
        self.header = header
        self.codes = codes
    }

    private static func parseHeader(_ bytes: UnsafeRawBufferPointer) throws(HarpcError) -> HarpcHeader {
        do {
            return try JSONDecoder().decode(HarpcHeader.self, from: Data(bytes))
        } catch let DecodingError.keyNotFound(key, _) {
            throw .malformedHeader("missing \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .malformedHeader("wrong type for \"\(path)\"")
        } catch {
            throw .malformedHeader("not valid JSON")
        }
    }

    /// Checks every field a reader relies on; returns the number of codes.
    private static func validate(_ header: HarpcHeader) throws(HarpcError) -> Int {
        func require(_ condition: Bool, _ reason: @autoclosure () -> String) throws(HarpcError) {
            if !condition { throw .invalidHeader(reason()) }
        }
        try require(HarpcHeader.sampleRateRange.contains(header.sampleRate), "sample rate \(header.sampleRate)")
        try require((1...HarpcHeader.maximumChannelCount).contains(header.channelCount),
                    "channel count \(header.channelCount)")
        try require((2...HarpcHeader.maximumCodebookSize).contains(header.codebookSize),
                    "codebook size \(header.codebookSize)")
        try require(header.bitsPerCode == CodePacking.bitsPerCode(codebookSize: header.codebookSize),
                    "\(header.bitsPerCode) bits per code for a codebook of \(header.codebookSize)")
        try require(header.codeShape.count == 3 && header.codeShape.allSatisfy { $0 >= 0 },
                    "code shape \(header.codeShape) is not [chunks, codebooks, frames]")
        try require(header.sampleCount >= 0, "sample count \(header.sampleCount)")
        try require(header.bandwidth.isFinite && header.bandwidth > 0, "bandwidth \(header.bandwidth)")
        try require(header.frameRate.isFinite && header.frameRate > 0, "frame rate \(header.frameRate)")
        var count = 1
        for extent in header.codeShape {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            try require(!overflow, "code shape \(header.codeShape) is too large")
            count = product
        }
        // The decoder's output is cropped to sampleCount: bound it by what the codes can stand for
        // (with a second of slack for chunk overlap and padding) so a lying header cannot make
        // anyone allocate for it.
        let samplesPerFrame = (Double(header.sampleRate) / header.frameRate).rounded(.up)
        let samplesCovered = Double(count / max(header.codeShape[1], 1)) * samplesPerFrame
        try require(Double(header.sampleCount) <= samplesCovered + Double(header.sampleRate),
                    "\(header.sampleCount) samples from \(header.codeShape[2]) frames")
        if let scales = header.scales {
            try require(scales.count == header.codeShape[0],
                        "\(scales.count) scales for \(header.codeShape[0]) chunks")
            try require(scales.allSatisfy { $0.isFinite && $0 > 0 }, "a scale is not a positive number")
        }
        return count
    }

    private static func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    private static func readLittleEndian<Value: FixedWidthInteger>(
        _ type: Value.Type, _ raw: UnsafeRawBufferPointer, at offset: Int
    ) -> Value {
        Value(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Value.self))
    }
}
