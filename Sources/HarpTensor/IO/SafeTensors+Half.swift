import Foundation

extension SafeTensors {
    /// Writes `tensors` as `F16` (IEEE binary16, rounded to nearest even; values beyond ±65504
    /// become ±∞) with `metadata` to `url`, atomically — half the size, for shipped weights.
    public static func writeHalfPrecision(
        _ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL
    ) throws(TensorFileError) {
        let ordered = tensors.sorted { $0.key < $1.key }
        let header = encodedHeader(ordered.map { ($0.key, $0.value.shape) }, metadata: metadata, dtype: "F16", byteSize: 2)
        try AtomicFileWriter.write(to: url) { (file) throws(TensorFileError) in
            try file.write(header)
            for (_, tensor) in ordered {
                var bytes: [UInt8] = []
                bytes.reserveCapacity(2 * tensor.count)
                for value in tensor.scalars {
                    let half = halfBits(value)
                    bytes.append(UInt8(truncatingIfNeeded: half))
                    bytes.append(UInt8(truncatingIfNeeded: half >> 8))
                }
                try file.write(bytes)
            }
        }
    }

    /// Float → IEEE 754 binary16 bits, round to nearest even (NaN stays NaN).
    static func halfBits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        let mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF { return sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0) }
        let unbiased = exponent - 127
        if unbiased > 15 { return sign | 0x7C00 }
        if unbiased >= -14 {
            // Normal: keep 10 mantissa bits, round the 13 dropped ones to nearest even.
            var half = UInt32(unbiased + 15) << 10 | (mantissa >> 13)
            let rest = mantissa & 0x1FFF
            if rest > 0x1000 || (rest == 0x1000 && half & 1 == 1) { half += 1 }   // may carry into the exponent: correct
            return sign | UInt16(half)
        }
        if unbiased < -25 { return sign }
        // Subnormal: the value in units of 2⁻²⁴, rounded to nearest even.
        let full = mantissa | 0x80_0000
        let shift = UInt32(-unbiased - 14 + 13)
        var half = full >> shift
        let rest = full & ((1 << shift) - 1)
        let halfway = UInt32(1) << (shift - 1)
        if rest > halfway || (rest == halfway && half & 1 == 1) { half += 1 }
        return sign | UInt16(half)
    }
}
