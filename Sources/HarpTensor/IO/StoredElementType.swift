/// An element type as stored in a tensor file, and its conversion to `Float32` on read.
///
/// Harp computes in `Float32`; other float widths and integers are converted when read (integers
/// beyond 2²⁴ lose precision, as `np.float32(x)` would). All types are little-endian.
enum StoredElementType: Sendable {
    case float32, float16, bfloat16, float64, int32, int64, uint8, int8

    /// Bytes per element.
    var byteSize: Int {
        switch self {
        case .uint8, .int8: return 1
        case .float16, .bfloat16: return 2
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        }
    }

    /// Converts `count` elements at `source` (any alignment) into `target`.
    func decode(_ source: UnsafeRawPointer, count: Int, into target: UnsafeMutablePointer<Float>) {
        switch self {
        case .float32:
            // Same layout: one copy, no per-element work.
            UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: count * 4)
        case .float16:
            convert(source, count, target) { (bits: UInt16) in Self.float(fromHalfBits: UInt16(littleEndian: bits)) }
        case .bfloat16:
            convert(source, count, target) { (bits: UInt16) in
                Float(bitPattern: UInt32(UInt16(littleEndian: bits)) << 16)
            }
        case .float64:
            convert(source, count, target) { (bits: UInt64) in Float(Double(bitPattern: UInt64(littleEndian: bits))) }
        case .int32:
            convert(source, count, target) { (value: Int32) in Float(Int32(littleEndian: value)) }
        case .int64:
            convert(source, count, target) { (value: Int64) in Float(Int64(littleEndian: value)) }
        case .uint8:
            convert(source, count, target) { (value: UInt8) in Float(value) }
        case .int8:
            convert(source, count, target) { (value: Int8) in Float(value) }
        }
    }

    private func convert<Element>(
        _ source: UnsafeRawPointer, _ count: Int, _ target: UnsafeMutablePointer<Float>,
        _ transform: (Element) -> Float
    ) {
        let stride = MemoryLayout<Element>.stride
        for i in 0..<count {
            target[i] = transform(source.loadUnaligned(fromByteOffset: i * stride, as: Element.self))
        }
    }

    /// IEEE 754 binary16 → Float, written out so it also builds where `Float16` is unavailable.
    static func float(fromHalfBits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2⁻²⁴.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | (mantissa << 13))
        }
    }
}

/// Byte-size arithmetic that reports overflow instead of trapping, for sizes read from files.
enum CheckedSize {
    /// The byte size of `shape` elements of `byteSize` bytes, or `nil` on overflow.
    static func bytes(shape: [Int], byteSize: Int) -> Int? {
        var total = byteSize
        for dimension in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            total = product
        }
        return total
    }
}
