/// Integer tensors (codes, token ids, masks) read as `IntTensor`, never through floats.
extension SafeTensorsFile {
    /// Reads the integer tensor `name` (`I64`, `I32`, `I16`, `I8`, `U8`, `U16`, `U32`, `BOOL`).
    /// Float tensors and values beyond 32 bits are refused.
    public func integerTensor(named name: String) throws(TensorFileError) -> IntTensor {
        let entry = try entry(named: name)
        let width = entry.dtype.byteSize
        let start = dataStart + entry.byteRange.lowerBound
        let count = entry.byteRange.count / max(width, 1)
        let load: (UnsafeRawBufferPointer, Int) -> Int64
        switch entry.dtype {
        case .int64: load = { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: Int64.self)) }
        case .int32: load = { Int64(Int32(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: Int32.self))) }
        case .uint32: load = { Int64(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: UInt32.self))) }
        case .int16: load = { Int64(Int16(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: Int16.self))) }
        case .uint16: load = { Int64(UInt16(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: UInt16.self))) }
        case .int8: load = { Int64($0.loadUnaligned(fromByteOffset: $1, as: Int8.self)) }
        case .uint8, .bool: load = { Int64($0.loadUnaligned(fromByteOffset: $1, as: UInt8.self)) }
        default: throw .expectedIntegers(.safetensors, dtype: entry.dtype.rawValue)
        }
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(TensorFileError) -> [Int32] in
                var values = [Int32](repeating: 0, count: count)
                for i in 0..<count {
                    let value = load(raw, start + i * width)
                    guard let narrow = Int32(exactly: value) else { throw .integerOutOfRange(tensor: name, value: value) }
                    values[i] = narrow
                }
                return values
            }
        }
        return IntTensor(shape: entry.shape, scalars: try result.get())
    }
}
