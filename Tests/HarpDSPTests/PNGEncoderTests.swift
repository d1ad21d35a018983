import HarpTensor
import Testing
@testable import HarpDSP

struct PNGEncoderTests {
    @Test func checksumsMatchPublishedCheckValues() {
        // The standard check values of CRC-32 ("123456789") and Adler-32 ("Wikipedia").
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNGEncoder.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }

    @Test func encodedImageHasSignatureChunksAndRecoverablePixels() {
        var picture = Picture(width: 300, height: 250)
        picture.plot(x: 299, y: 249, Picture.Color(1, 2, 3))
        let png = picture.pngData()
        #expect(png.count < 10_000, "a white picture deflates to little")
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(String(decoding: png[12..<16], as: UTF8.self) == "IHDR")
        #expect(String(decoding: png[(png.count - 8)..<(png.count - 4)], as: UTF8.self) == "IEND")
    }

    @Test func storedFallbackStreamHoldsTheScanlines() {
        // > 65 535 bytes: several stored blocks.
        let data = (0..<(250 * 901)).map { UInt8(truncatingIfNeeded: $0) }
        var stream = Array(PNGEncoder.zlibStored(data).dropFirst(2))
        var raw: [UInt8] = []
        while !stream.isEmpty {
            let final = stream[0] & 1
            let length = Int(stream[1]) | Int(stream[2]) << 8
            raw += stream[5..<(5 + length)]
            stream = Array(stream.dropFirst(5 + length))
            if final == 1 { break }
        }
        #expect(raw == data)
    }
}
