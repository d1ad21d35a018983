import Testing
@testable import HarpDSP

struct PNGEncoderTests {
    @Test func checksumsMatchPublishedCheckValues() {
        // The standard check values of CRC-32 ("123456789") and Adler-32 ("Wikipedia").
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNGEncoder.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }

    @Test func encodedImageHasSignatureChunksAndRecoverablePixels() {
        var picture = Picture(width: 300, height: 250)   // > 65 535 bytes of scanlines: several stored blocks
        picture.plot(x: 299, y: 249, Picture.Color(1, 2, 3))
        let png = picture.pngData()
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(String(decoding: png[12..<16], as: UTF8.self) == "IHDR")
        #expect(String(decoding: png[(png.count - 8)..<(png.count - 4)], as: UTF8.self) == "IEND")
        // Undo the stored blocks of the IDAT chunk and check the last pixel.
        let idatLength = Int(png[33]) << 24 | Int(png[34]) << 16 | Int(png[35]) << 8 | Int(png[36])
        var stream = Array(png[41..<(41 + idatLength)].dropFirst(2))
        var raw: [UInt8] = []
        while !stream.isEmpty {
            let final = stream[0] & 1
            let length = Int(stream[1]) | Int(stream[2]) << 8
            raw += stream[5..<(5 + length)]
            stream = Array(stream.dropFirst(5 + length))
            if final == 1 { break }
        }
        #expect(raw.count == 250 * (300 * 3 + 1))
        #expect(Array(raw.suffix(3)) == [1, 2, 3])
    }
}
