import Foundation

/// Integer `.npy` arrays (codes, token ids) read and written as `IntTensor`, never through floats.
extension NPY {
    /// Reads the integer array in the file at `url`. Accepts `<i8`, `<i4`, `<i2`, `|i1`, `<u4`,
    /// `<u2` and `|u1`; float arrays and values beyond 32 bits are refused.
    public static func readIntegers(contentsOf url: URL) throws(TensorFileError) -> IntTensor {
        let data = try FileBytes.mapped(url)
        let result = data.withUnsafeBytes { bytes in
            Result { () throws(TensorFileError) in try decodeIntegers(bytes) }
        }
        return try result.get()
    }

    /// Decodes the bytes of an integer `.npy` file.
    public static func decodeIntegers(_ bytes: UnsafeRawBufferPointer) throws(TensorFileError) -> IntTensor {
        let (header, dataStart) = try readHeader(bytes)
        guard !header.fortranOrder else { throw .fortranOrder }
        guard let width = integerWidth(header.descr) else {
            _ = try elementType(header.descr)   // an unknown dtype gets its own message
            throw .expectedIntegers(.npy, dtype: header.descr)
        }
        try checkDataSize(header, elementBytes: width.bytes, dataStart: dataStart, fileBytes: bytes.count)
        let count = Shape.count(header.shape)
        var values = [Int32](repeating: 0, count: count)
        for i in 0..<count {
            let value = width.load(bytes, dataStart + i * width.bytes)
            guard let narrow = Int32(exactly: value) else { throw .integerOutOfRange(tensor: arrayName, value: value) }
            values[i] = narrow
        }
        return IntTensor(shape: header.shape, scalars: values)
    }

    /// Writes `array` as `<i8` (NumPy's and PyTorch's default integer) to `url`, atomically.
    public static func write(_ array: IntTensor, to url: URL) throws(TensorFileError) {
        let header = encodedHeader(shape: array.shape, descr: "<i8")
        try AtomicFileWriter.write(to: url) { (file) throws(TensorFileError) in
            try file.write(header)
            var wide = [UInt8]()
            wide.reserveCapacity(array.count * 8)
            for value in array.scalars { withUnsafeBytes(of: Int64(value).littleEndian) { wide += $0 } }
            try file.write(wide)
        }
    }

    /// Byte width and little-endian loader of an integer dtype, or `nil` for a non-integer one.
    private static func integerWidth(_ descr: String) -> (bytes: Int, load: (UnsafeRawBufferPointer, Int) -> Int64)? {
        func loader<T: FixedWidthInteger>(_: T.Type) -> (Int, (UnsafeRawBufferPointer, Int) -> Int64) {
            (MemoryLayout<T>.size, { raw, offset in Int64(T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self))) })
        }
        switch descr {
        case "<i8": return loader(Int64.self)
        case "<i4": return loader(Int32.self)
        case "<i2": return loader(Int16.self)
        case "|i1", "<i1": return loader(Int8.self)
        case "<u4": return loader(UInt32.self)
        case "<u2": return loader(UInt16.self)
        case "|u1", "<u1": return loader(UInt8.self)
        default: return nil
        }
    }
}
