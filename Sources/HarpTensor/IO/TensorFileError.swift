/// The tensor file formats Harp reads and writes.
public enum TensorFileFormat: String, Sendable {
    case npy = ".npy"
    case safetensors = "safetensors"
}

/// Why a `.npy` or safetensors file could not be read or written. Each description is one line,
/// fit to show a user as is.
public enum TensorFileError: Error, Equatable, Sendable {
    /// The file ends before a part its header promises (`needed` bytes, `available` present).
    case truncated(TensorFileFormat, needed: Int, available: Int)
    /// The first bytes are not the format's signature.
    case badMagic(TensorFileFormat)
    /// A format version this reader does not know.
    case unsupportedVersion(TensorFileFormat, major: Int, minor: Int)
    /// The declared header length exceeds the file or the sanity limit.
    case headerTooLarge(TensorFileFormat, length: UInt64, limit: Int)
    /// The header is not valid JSON (safetensors) or a valid dictionary literal (`.npy`).
    case malformedHeader(TensorFileFormat, reason: String)
    /// A dtype this reader does not know or cannot convert to `Float32`.
    case unsupportedDType(TensorFileFormat, dtype: String, tensor: String)
    /// A Fortran-order (column-major) `.npy` array; Harp stores C order only.
    case fortranOrder
    /// A shape with a negative size.
    case negativeDimension(tensor: String, shape: [Int])
    /// A shape whose byte size does not fit in memory arithmetic.
    case elementCountOverflow(tensor: String, shape: [Int])
    /// The bytes given for a tensor disagree with its shape and dtype.
    case dataSizeMismatch(tensor: String, expectedBytes: Int, actualBytes: Int)
    /// A safetensors offset pair that is reversed or points past the data.
    case offsetsOutOfRange(tensor: String, begin: Int, end: Int, dataBytes: Int)
    /// Two safetensors tensors whose byte ranges overlap.
    case overlappingTensors(String, String)
    /// Data bytes no tensor owns (the spec requires the tensors to tile the data buffer).
    case uncoveredBytes(begin: Int, end: Int)
    /// Two tensors with one name.
    case duplicateName(String)
    /// A tensor asked for by name that the file does not hold.
    case tensorNotFound(String)
    /// A float array where integers (codes, token ids) are wanted.
    case expectedIntegers(TensorFileFormat, dtype: String)
    /// An integer that does not fit in 32 bits.
    case integerOutOfRange(tensor: String, value: Int64)
    /// The operating system refused to read or write `path`.
    case io(path: String, reason: String)
}

extension TensorFileError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .truncated(format, needed, available):
            return "truncated \(format.rawValue) file: needs \(needed) bytes, has \(available)"
        case let .badMagic(format):
            return "not a \(format.rawValue) file: wrong signature"
        case let .unsupportedVersion(format, major, minor):
            return "unsupported \(format.rawValue) version \(major).\(minor)"
        case let .headerTooLarge(format, length, limit):
            return "\(format.rawValue) header length \(length) exceeds the limit of \(limit) bytes"
        case let .malformedHeader(format, reason):
            return "malformed \(format.rawValue) header: \(reason)"
        case let .unsupportedDType(format, dtype, tensor):
            return "unsupported \(format.rawValue) dtype \"\(dtype)\" for tensor \"\(tensor)\""
        case .fortranOrder:
            return "Fortran-order .npy arrays are not supported; save with C order (np.ascontiguousarray)"
        case let .negativeDimension(tensor, shape):
            return "negative size in shape \(shape) of tensor \"\(tensor)\""
        case let .elementCountOverflow(tensor, shape):
            return "shape \(shape) of tensor \"\(tensor)\" is too large"
        case let .dataSizeMismatch(tensor, expected, actual):
            return "tensor \"\(tensor)\" needs \(expected) bytes of data but has \(actual)"
        case let .offsetsOutOfRange(tensor, begin, end, dataBytes):
            return "tensor \"\(tensor)\" has data offsets [\(begin), \(end)) outside the \(dataBytes)-byte data"
        case let .overlappingTensors(first, second):
            return "tensors \"\(first)\" and \"\(second)\" overlap in the data buffer"
        case let .uncoveredBytes(begin, end):
            return "data bytes [\(begin), \(end)) belong to no tensor"
        case let .duplicateName(name):
            return "duplicate tensor name \"\(name)\""
        case let .tensorNotFound(name):
            return "no tensor named \"\(name)\""
        case let .expectedIntegers(format, dtype):
            return "\(format.rawValue) array holds \(dtype) values; integers (int64, int32, …) are needed"
        case let .integerOutOfRange(tensor, value):
            return "tensor \"\(tensor)\" holds \(value), which does not fit in 32 bits"
        case let .io(path, reason):
            return "cannot access \(path): \(reason)"
        }
    }
}
