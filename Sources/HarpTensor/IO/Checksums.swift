/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320: zlib's and PNG's), to tell a corrupted
/// file from a valid one before any of it is believed (PNG chunks, `.harpc`).
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The checksum of `bytes`, continuing from `crc` (0 to start).
    public static func checksum<Bytes: Sequence>(_ bytes: Bytes, continuing crc: UInt32 = 0) -> UInt32
    where Bytes.Element == UInt8 {
        var c = ~crc
        for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return ~c
    }
}

/// FNV-1a, 64 bits: a fast, stable fingerprint of bytes (weights files, cache keys, split hashes;
/// not a cryptographic hash).
public enum FNV1a {
    public static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325

    public static func hash<Bytes: Sequence>(_ bytes: Bytes, continuing start: UInt64 = offsetBasis) -> UInt64
    where Bytes.Element == UInt8 {
        var hash = start
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// The hash as 16 lowercase hexadecimal digits.
    public static func hexadecimal(_ hash: UInt64) -> String {
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
