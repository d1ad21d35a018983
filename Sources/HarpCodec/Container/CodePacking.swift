/// Packs codebook indices at a fixed number of bits each, least significant bit first, into a
/// byte stream; unpacks them again.
///
/// A codebook of `K` entries needs `⌈log₂ K⌉` bits per index: 1024 entries → 10 bits, so 75
/// frames × 8 codebooks of EnCodec 24 kHz at 6 kbps take 750 bytes a second, which is the
/// model's nominal bandwidth exactly.
enum CodePacking {
    /// Bits per index for a codebook of `codebookSize` entries (at least 1).
    static func bitsPerCode(codebookSize: Int) -> Int {
        precondition(codebookSize >= 1)
        var bits = 1
        while (1 << bits) < codebookSize { bits += 1 }
        return bits
    }

    /// Bytes that `count` indices of `bits` bits take, or `nil` when that overflows.
    static func byteCount(count: Int, bits: Int) -> Int? {
        let (totalBits, overflow) = count.multipliedReportingOverflow(by: bits)
        guard !overflow, count >= 0 else { return nil }
        return (totalBits + 7) / 8
    }

    /// The indices packed at `bits` bits each. Every value must be in `0 ..< 2^bits`.
    static func pack(_ values: [Int32], bits: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: byteCount(count: values.count, bits: bits) ?? 0)
        var bitPosition = 0
        for value in values {
            var remaining = UInt32(bitPattern: value)
            var bitsLeft = bits
            while bitsLeft > 0 {
                let byte = bitPosition >> 3
                let shift = bitPosition & 7
                let taken = min(8 - shift, bitsLeft)
                let mask = UInt32((1 << taken) - 1)
                bytes[byte] |= UInt8((remaining & mask) << UInt32(shift))
                remaining >>= UInt32(taken)
                bitsLeft -= taken
                bitPosition += taken
            }
        }
        return bytes
    }

    /// `count` indices of `bits` bits each, read from `bytes` (which must hold enough of them).
    static func unpack(_ bytes: UnsafeRawBufferPointer, count: Int, bits: Int) -> [Int32] {
        var values = [Int32](repeating: 0, count: count)
        var bitPosition = 0
        for index in 0..<count {
            var value: UInt32 = 0
            var filled = 0
            while filled < bits {
                let byte = UInt32(bytes[bitPosition >> 3])
                let shift = bitPosition & 7
                let taken = min(8 - shift, bits - filled)
                let mask = UInt32((1 << taken) - 1)
                value |= ((byte >> UInt32(shift)) & mask) << UInt32(filled)
                filled += taken
                bitPosition += taken
            }
            values[index] = Int32(bitPattern: value)
        }
        return values
    }
}
