import Foundation
import Testing
import HarpTensor
@testable import HarpCodec

/// A codec with no weights: only the properties the container reads.
final class FixedCodec: NeuralCodec {
    let identity: CodecIdentity
    let sampleRate: Int
    let channelCount = 1
    let codebookSize: Int
    let maximumCodebookCount = 32
    let frameRate: Double
    let bandwidths = [1.5, 3.0, 6.0]

    init(name: String = "fixed", hash: String = "00ff", sampleRate: Int = 24_000, frameRate: Double = 75,
         codebookSize: Int = 1024) {
        identity = CodecIdentity(name: name, weightsHash: hash)
        self.sampleRate = sampleRate
        self.frameRate = frameRate
        self.codebookSize = codebookSize
    }

    func encode(_ audio: Tensor, bandwidth: Double?) throws -> EncodedAudio { fatalError("not used") }
    func decode(_ encoded: EncodedAudio) throws -> Tensor { fatalError("not used") }
    func encode(sampleCount: Int, bandwidth: Double?, reading read: (Range<Int>) throws -> Tensor) throws -> EncodedAudio {
        fatalError("not used")
    }
    func decode(_ encoded: EncodedAudio, writing write: (Tensor) throws -> Void) throws { fatalError("not used") }
}

/// `.harpc` files: codes survive the round trip bit for bit, the packed size is the nominal
/// bitrate, and every malformed file is refused with a reason instead of crashing.
struct HarpcFileTests {
    static func randomCodes(shape: [Int], codebookSize: Int, seed: UInt64) -> IntTensor {
        var state = seed
        let values = (0..<Shape.count(shape)).map { _ -> Int32 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int32((state >> 33) % UInt64(codebookSize))
        }
        return IntTensor(shape: shape, scalars: values)
    }

    static func file(codebookSize: Int = 1024, shape: [Int] = [1, 8, 75], scales: [Float]? = nil) -> HarpcFile {
        let codec = FixedCodec(codebookSize: codebookSize)
        let codes = randomCodes(shape: shape, codebookSize: codebookSize, seed: 7)
        let encoded = EncodedAudio(codes: codes, scales: scales, sampleCount: 24_000, bandwidth: 6)
        return HarpcFile(codec: codec, encoded: encoded)
    }

    @Test(arguments: [2, 3, 64, 1000, 1024, 2048, 4096])
    func codesSurviveTheRoundTrip(codebookSize: Int) throws {
        let original = Self.file(codebookSize: codebookSize, shape: [2, 5, 33], scales: [0.25, 1.5])
        let decoded = try HarpcFile.decode(Data(original.encoded()))
        #expect(decoded == original)
        #expect(decoded.encodedAudio == original.encodedAudio)
    }

    @Test func packingMatchesAPlainBitString() {
        // Reference: write each value's bits LSB first as characters, then read bytes back.
        let values: [Int32] = [5, 0, 1023, 512, 7, 1, 999]
        let bits = 10
        var stream = ""
        for value in values { for i in 0..<bits { stream += (value >> i) & 1 == 1 ? "1" : "0" } }
        while stream.count % 8 != 0 { stream += "0" }
        let characters = Array(stream)
        let expected = stride(from: 0, to: characters.count, by: 8).map { start -> UInt8 in
            (0..<8).reduce(UInt8(0)) { $0 | (characters[start + $1] == "1" ? UInt8(1) << UInt8($1) : 0) }
        }
        #expect(CodePacking.pack(values, bits: bits) == expected)
    }

    @Test func packedCodesTakeTheNominalBitrate() throws {
        // EnCodec 24 kHz at 6 kbps: 8 codebooks × 75 frames × 10 bits = 6000 bit/s.
        let file = Self.file()
        #expect(file.bitrate == 6000)
        let bytes = try file.encoded()
        let headerLength = Int(bytes[10]) | Int(bytes[11]) << 8 | Int(bytes[12]) << 16
        #expect(bytes.count == 14 + headerLength + 750 + 4)
    }

    @Test func everyTruncationIsRefused() throws {
        let bytes = try Self.file(shape: [1, 2, 10]).encoded()
        for length in 0..<bytes.count {
            #expect(throws: HarpcError.self) { try HarpcFile.decode(Data(bytes.prefix(length))) }
        }
    }

    @Test func everyFlippedByteIsRefused() throws {
        let bytes = try Self.file(shape: [1, 2, 10]).encoded()
        for index in bytes.indices {
            var corrupted = bytes
            corrupted[index] ^= 0x41
            #expect(throws: HarpcError.self) { try HarpcFile.decode(Data(corrupted)) }
        }
    }

    @Test func otherFilesAndFutureVersionsAreNamed() throws {
        #expect(throws: HarpcError.notHarpc) { try HarpcFile.decode(Data("RIFF....WAVEfmt ".utf8)) }
        var bytes = try Self.file().encoded()
        bytes[8] = 9
        #expect(throws: HarpcError.unsupportedVersion(9)) { try HarpcFile.decode(Data(bytes)) }
    }

    @Test func aHeaderClaimingHugeCodesIsRefusedBeforeAllocating() throws {
        var header = Self.file().header
        header.codeShape = [1, 1 << 30, 1 << 30]
        let bytes = Self.rawFile(header: header, payload: [])
        #expect(throws: HarpcError.self) { try HarpcFile.decode(Data(bytes)) }
        header.codeShape = [Int.max, 2, 2]
        #expect(throws: HarpcError.self) { try HarpcFile.decode(Data(Self.rawFile(header: header, payload: []))) }
    }

    @Test func codesOutsideTheCodebookAreRefusedOnWriteAndRead() throws {
        let codec = FixedCodec(codebookSize: 1000)
        let codes = IntTensor(shape: [1, 1, 3], scalars: [0, 1000, 2])
        let file = HarpcFile(codec: codec, encoded: EncodedAudio(codes: codes, scales: nil, sampleCount: 960, bandwidth: 1.5))
        #expect(throws: HarpcError.codeOutOfRange(value: 1000, codebookSize: 1000)) { try file.encoded() }
        // 10 bits can hold 1000..1023: a file with such a code (valid checksum) is still refused.
        let payload = CodePacking.pack([0, 1023, 2], bits: 10)
        #expect(throws: HarpcError.codeOutOfRange(value: 1023, codebookSize: 1000)) {
            try HarpcFile.decode(Data(Self.rawFile(header: file.header, payload: payload)))
        }
    }

    @Test func codesFromOtherWeightsAreRefused() throws {
        let file = Self.file()
        try file.check(against: FixedCodec())
        let retrained = FixedCodec(hash: "beef")
        #expect(throws: HarpcError.self) { try file.check(against: retrained) }
        let error = try #require(throws: HarpcError.self) { try file.check(against: retrained) }
        #expect(error.description.contains("beef") && error.description.contains("00ff"))
    }

    @Test func writeIsAtomicAndReadable() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("harpc-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("codes.harpc")
        let file = Self.file(shape: [1, 4, 20])
        try file.write(to: url)
        #expect(try HarpcFile.read(contentsOf: url) == file)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["codes.harpc"])
    }

    /// A file with a valid signature, version and checksum around `header` and `payload`.
    static func rawFile(header: HarpcHeader, payload: [UInt8]) -> [UInt8] {
        let json = try! JSONEncoder().encode(header)
        var bytes = HarpcFile.signature + [1, 0]
        withUnsafeBytes(of: UInt32(json.count).littleEndian) { bytes += $0 }
        bytes += json + payload
        withUnsafeBytes(of: CRC32.checksum(bytes).littleEndian) { bytes += $0 }
        return bytes
    }
}

/// Bare codes (from `.npy`) checked against a model before decoding.
struct BareCodesTests {
    @Test func bandwidthAndLengthFollowFromTheCodes() throws {
        let codes = IntTensor(repeating: 3, shape: [1, 8, 75])
        let encoded = try EncodedAudio(codes: codes, for: FixedCodec())
        #expect(encoded.bandwidth == 6.0)
        #expect(encoded.sampleCount == 24_000)
    }

    @Test func codesTheModelCannotDecodeAreRefused() {
        #expect(throws: CodesMismatchError.outOfRange(1024, codebookSize: 1024)) {
            try EncodedAudio(codes: IntTensor(shape: [1, 1, 2], scalars: [0, 1024]), for: FixedCodec())
        }
        #expect(throws: CodesMismatchError.outOfRange(-1, codebookSize: 1024)) {
            try EncodedAudio(codes: IntTensor(shape: [1, 1, 2], scalars: [-1, 5]), for: FixedCodec())
        }
        #expect(throws: CodesMismatchError.tooManyCodebooks(33, maximum: 32)) {
            try EncodedAudio(codes: IntTensor(repeating: 0, shape: [1, 33, 2]), for: FixedCodec())
        }
        #expect(throws: CodesMismatchError.empty) {
            try EncodedAudio(codes: IntTensor(repeating: 0, shape: [1, 8, 0]), for: FixedCodec())
        }
    }
}
