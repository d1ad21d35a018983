import Foundation

/// NumPy's `.npy` format: one array per file (latents, codes, control signals).
///
/// Reads format versions 1.0, 2.0 and 3.0 in C order. `<f4` is read as is; `<f2`, `<f8`, `<i4`,
/// `<i8`, `|u1` and `|i1` are converted to `Float32`. Big-endian and other dtypes, and Fortran
/// order, are rejected. Writes `<f4` in version 1.0 (2.0 when the header needs it).
/// ref: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
public enum NPY {
    /// The longest header accepted; real headers are well under a kilobyte.
    public static let headerLengthLimit = 100_000_000
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    static let arrayName = "array"

    /// Reads the array in the file at `url`.
    public static func read(contentsOf url: URL) throws(TensorFileError) -> Tensor {
        try decode(FileBytes.mapped(url))
    }

    /// Decodes the bytes of a `.npy` file.
    public static func decode(_ data: Data) throws(TensorFileError) -> Tensor {
        let result = data.withUnsafeBytes { bytes in
            Result { () throws(TensorFileError) in try decode(bytes) }
        }
        return try result.get()
    }

    /// Decodes the bytes of a `.npy` file.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(TensorFileError) -> Tensor {
        let (header, dataStart) = try readHeader(bytes)
        guard !header.fortranOrder else { throw .fortranOrder }
        let type = try elementType(header.descr)
        try checkDataSize(header, elementBytes: type.byteSize, dataStart: dataStart, fileBytes: bytes.count)
        return Tensor(shape: header.shape) { values in
            if let target = values.baseAddress, let base = bytes.baseAddress {
                type.decode(base + dataStart, count: values.count, into: target)
            }
        }
    }

    /// Checks that the data after the header is exactly the shape's size, before anything is
    /// allocated for it, so a lying header cannot make a reader allocate.
    static func checkDataSize(_ header: NPYHeader, elementBytes: Int, dataStart: Int,
                              fileBytes: Int) throws(TensorFileError) {
        if header.shape.contains(where: { $0 < 0 }) {
            throw .negativeDimension(tensor: arrayName, shape: header.shape)
        }
        guard let byteCount = CheckedSize.bytes(shape: header.shape, byteSize: elementBytes) else {
            throw .elementCountOverflow(tensor: arrayName, shape: header.shape)
        }
        let available = fileBytes - dataStart
        guard available >= byteCount else {
            throw .truncated(.npy, needed: dataStart + byteCount, available: fileBytes)
        }
        guard available == byteCount else {
            throw .dataSizeMismatch(tensor: arrayName, expectedBytes: byteCount, actualBytes: available)
        }
    }

    /// Reads the magic, version and header; returns the header and where the data starts.
    static func readHeader(_ bytes: UnsafeRawBufferPointer) throws(TensorFileError) -> (NPYHeader, Int) {
        guard bytes.count >= 8 else { throw .truncated(.npy, needed: 10, available: bytes.count) }
        guard Array(bytes[0..<6]) == magic else { throw .badMagic(.npy) }
        let (major, minor) = (Int(bytes[6]), Int(bytes[7]))
        let lengthSize: Int
        switch major {
        case 1: lengthSize = 2
        case 2, 3: lengthSize = 4
        default: throw .unsupportedVersion(.npy, major: major, minor: minor)
        }
        guard minor == 0 else { throw .unsupportedVersion(.npy, major: major, minor: minor) }
        guard bytes.count >= 8 + lengthSize else {
            throw .truncated(.npy, needed: 8 + lengthSize, available: bytes.count)
        }
        var length = 0
        for i in 0..<lengthSize { length |= Int(bytes[8 + i]) << (8 * i) }
        guard length <= headerLengthLimit else {
            throw .headerTooLarge(.npy, length: UInt64(length), limit: headerLengthLimit)
        }
        let start = 8 + lengthSize
        guard bytes.count >= start + length else {
            throw .truncated(.npy, needed: start + length, available: bytes.count)
        }
        let header = try NPYHeader.parse(UnsafeRawBufferPointer(rebasing: bytes[start..<start + length]))
        return (header, start + length)
    }

    /// The element type for a NumPy type string.
    static func elementType(_ descr: String) throws(TensorFileError) -> StoredElementType {
        switch descr {
        case "<f4": return .float32
        case "<f2": return .float16
        case "<f8": return .float64
        case "<i4": return .int32
        case "<i8": return .int64
        case "|u1", "<u1": return .uint8
        case "|i1", "<i1": return .int8
        default: throw .unsupportedDType(.npy, dtype: descr, tensor: arrayName)
        }
    }
}

// MARK: - Writing

extension NPY {
    /// Writes `tensor` as a `<f4` C-order array to `url`, atomically (temporary file, then rename).
    public static func write(_ tensor: Tensor, to url: URL) throws(TensorFileError) {
        let header = encodedHeader(shape: tensor.shape)
        try AtomicFileWriter.write(to: url) { (file) throws(TensorFileError) in
            try file.write(header)
            try file.write(tensor)
        }
    }

    /// The encoded bytes of a `.npy` file holding `tensor`.
    public static func encoded(_ tensor: Tensor) -> Data {
        var bytes = encodedHeader(shape: tensor.shape)
        tensor.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeRawBufferPointer($0)) }
        return Data(bytes)
    }

    /// Magic, version, length and the header padded with spaces so the data starts 64-byte aligned.
    static func encodedHeader(shape: [Int], descr: String = "<f4") -> [UInt8] {
        let literal = Array(NPYHeader(descr: descr, fortranOrder: false, shape: shape).literal.utf8)
        let needsVersion2 = literal.count + 11 + 63 > Int(UInt16.max)
        let prefixSize = needsVersion2 ? 12 : 10
        let unpadded = prefixSize + literal.count + 1
        let padding = (64 - unpadded % 64) % 64
        let length = literal.count + padding + 1
        var bytes = magic + [needsVersion2 ? 2 : 1, 0]
        for i in 0..<(prefixSize - 8) { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * i))) }
        bytes += literal + [UInt8](repeating: 0x20, count: padding) + [0x0A]
        return bytes
    }
}
