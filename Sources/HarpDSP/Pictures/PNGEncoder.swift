import CZlib
import HarpTensor

/// Encodes 8-bit RGB images as PNG: rows filtered with PNG's "Up" filter (flat areas become
/// zeros) and deflated by zlib. `zlibStored` (uncompressed deflate blocks) remains as the
/// fallback should zlib refuse.
///
/// ref: PNG specification (ISO/IEC 15948), RFC 1950 (zlib) and RFC 1951 §3.2.4 (stored blocks).
public enum PNGEncoder {
    /// PNG bytes for `pixels` (`width × height × 3` bytes, rows top to bottom, RGB).
    public static func encode(width: Int, height: Int, rgb pixels: [UInt8]) -> [UInt8] {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 3, "PNG: pixel count mismatch")
        var header: [UInt8] = []
        header += bigEndian(UInt32(width))
        header += bigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0]   // 8 bits per channel, truecolour, deflate, adaptive filtering, no interlace

        let stride = width * 3
        var scanlines: [UInt8] = []
        scanlines.reserveCapacity(height * (stride + 1))
        for row in 0..<height {
            scanlines.append(row == 0 ? 0 : 2)   // None for the first row, then Up
            for i in (row * stride)..<((row + 1) * stride) {
                scanlines.append(row == 0 ? pixels[i] : pixels[i] &- pixels[i - stride])
            }
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += chunk("IHDR", header)
        png += chunk("IDAT", deflated(scanlines) ?? zlibStored(scanlines))
        png += chunk("IEND", [])
        return png
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return bigEndian(UInt32(data.count)) + typeBytes + data + bigEndian(CRC32.checksum(typeBytes + data))
    }

    /// A zlib stream at the best compression level, or nil if zlib fails.
    static func deflated(_ data: [UInt8]) -> [UInt8]? {
        var length = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = data.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                compress2(target.baseAddress, &length, source.baseAddress, uLong(data.count), Z_BEST_COMPRESSION)
            }
        }
        guard status == Z_OK else { return nil }
        return Array(out.prefix(Int(length)))
    }

    /// A zlib stream of stored deflate blocks (at most 65 535 bytes each) and its Adler-32.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let length = Swift.min(65_535, data.count - start)
            let isLast = start + length == data.count
            out.append(isLast ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += data[start..<(start + length)]
            start += length
        } while start < data.count
        return out + bigEndian(adler32(data))
    }

    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return (b << 16) | a
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
