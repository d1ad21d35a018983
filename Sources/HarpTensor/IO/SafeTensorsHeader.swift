/// The element types the safetensors format names, and what each converts to on read.
public enum SafeTensorsDType: String, Sendable, CaseIterable {
    case bool = "BOOL", uint8 = "U8", int8 = "I8", float8E5M2 = "F8_E5M2", float8E4M3 = "F8_E4M3"
    case int16 = "I16", uint16 = "U16", float16 = "F16", bfloat16 = "BF16"
    case int32 = "I32", uint32 = "U32", float32 = "F32", float64 = "F64", int64 = "I64", uint64 = "U64"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .uint8, .int8, .float8E5M2, .float8E4M3: return 1
        case .int16, .uint16, .float16, .bfloat16: return 2
        case .int32, .uint32, .float32: return 4
        case .float64, .int64, .uint64: return 8
        }
    }

    /// How Harp converts the type to `Float32`, or `nil` when it does not.
    var storedType: StoredElementType? {
        switch self {
        case .float32: return .float32
        case .float16: return .float16
        case .bfloat16: return .bfloat16
        case .float64: return .float64
        case .int32: return .int32
        case .int64: return .int64
        case .uint8: return .uint8
        case .int8: return .int8
        default: return nil
        }
    }
}

/// One tensor's entry in a safetensors header.
public struct SafeTensorsEntry: Equatable, Sendable {
    public let name: String
    public let dtype: SafeTensorsDType
    public let shape: [Int]
    /// The tensor's bytes, relative to the start of the data buffer (after the header).
    public let byteRange: Range<Int>
}

/// A validated safetensors header: the entries in file order and the string metadata.
///
/// ref: https://github.com/huggingface/safetensors (README "Format"): the entries must tile the
/// data buffer exactly — no overlap, no gap, nothing past its end.
struct SafeTensorsHeader {
    static let metadataKey = "__metadata__"
    var entries: [SafeTensorsEntry]
    var metadata: [String: String]

    /// Parses and validates the JSON header of a file whose data buffer holds `dataBytes` bytes.
    static func parse(_ json: [UInt8], dataBytes: Int) throws(TensorFileError) -> SafeTensorsHeader {
        let root: JSONValue
        do { root = try JSONValue.parse(json) } catch { throw malformed(error.reason) }
        guard case let .object(members) = root else { throw malformed("the header is not a JSON object") }
        var header = SafeTensorsHeader(entries: [], metadata: [:])
        var names = Set<String>()
        for (name, value) in members {
            guard names.insert(name).inserted else { throw .duplicateName(name) }
            if name == metadataKey {
                header.metadata = try metadata(value)
            } else {
                header.entries.append(try entry(name, value, dataBytes: dataBytes))
            }
        }
        try checkTiling(header.entries, dataBytes: dataBytes)
        return header
    }

    private static func metadata(_ value: JSONValue) throws(TensorFileError) -> [String: String] {
        guard case let .object(pairs) = value else { throw malformed("__metadata__ is not an object") }
        var result: [String: String] = [:]
        for (key, value) in pairs {
            guard case let .string(text) = value else { throw malformed("metadata value for \"\(key)\" is not a string") }
            guard result.updateValue(text, forKey: key) == nil else { throw malformed("duplicate metadata key \"\(key)\"") }
        }
        return result
    }

    private static func entry(_ name: String, _ value: JSONValue, dataBytes: Int) throws(TensorFileError) -> SafeTensorsEntry {
        guard case let .object(fields) = value else { throw malformed("entry \"\(name)\" is not an object") }
        var dtypeText: String?, shapeValues: [JSONValue]?, offsetValues: [JSONValue]?
        for (key, field) in fields {
            switch (key, field) {
            case ("dtype", .string(let text)) where dtypeText == nil: dtypeText = text
            case ("shape", .array(let items)) where shapeValues == nil: shapeValues = items
            case ("data_offsets", .array(let items)) where offsetValues == nil: offsetValues = items
            case ("dtype", _), ("shape", _), ("data_offsets", _):
                throw malformed("field \"\(key)\" of \"\(name)\" is repeated or mistyped")
            default: continue  // Unknown fields are ignored, as the reference reader does.
            }
        }
        guard let dtypeText, let shapeValues, let offsetValues else {
            throw malformed("entry \"\(name)\" needs dtype, shape and data_offsets")
        }
        guard let dtype = SafeTensorsDType(rawValue: dtypeText) else {
            throw .unsupportedDType(.safetensors, dtype: dtypeText, tensor: name)
        }
        let shape = try integers(shapeValues, what: "shape of \"\(name)\"")
        if shape.contains(where: { $0 < 0 }) { throw .negativeDimension(tensor: name, shape: shape) }
        guard let byteCount = CheckedSize.bytes(shape: shape, byteSize: dtype.byteSize) else {
            throw .elementCountOverflow(tensor: name, shape: shape)
        }
        let offsets = try integers(offsetValues, what: "data_offsets of \"\(name)\"")
        guard offsets.count == 2 else { throw malformed("data_offsets of \"\(name)\" must hold two numbers") }
        guard offsets[0] >= 0, offsets[0] <= offsets[1] else {
            throw .offsetsOutOfRange(tensor: name, begin: offsets[0], end: offsets[1], dataBytes: dataBytes)
        }
        guard offsets[1] - offsets[0] == byteCount else {
            throw .dataSizeMismatch(tensor: name, expectedBytes: byteCount, actualBytes: offsets[1] - offsets[0])
        }
        return SafeTensorsEntry(name: name, dtype: dtype, shape: shape, byteRange: offsets[0]..<offsets[1])
    }

    private static func integers(_ values: [JSONValue], what: String) throws(TensorFileError) -> [Int] {
        var result: [Int] = []
        for value in values {
            guard case let .number(text) = value, let integer = Int(text) else {
                throw malformed("\(what) must hold integers that fit in 64 bits")
            }
            result.append(integer)
        }
        return result
    }

    /// Checks that the entries, sorted by offset, cover `0..<dataBytes` exactly once.
    private static func checkTiling(_ entries: [SafeTensorsEntry], dataBytes: Int) throws(TensorFileError) {
        var position = 0
        var previous: String?
        for entry in entries.sorted(by: { ($0.byteRange.lowerBound, $0.byteRange.upperBound) < ($1.byteRange.lowerBound, $1.byteRange.upperBound) }) {
            guard entry.byteRange.upperBound <= dataBytes else {
                throw .offsetsOutOfRange(tensor: entry.name, begin: entry.byteRange.lowerBound,
                                         end: entry.byteRange.upperBound, dataBytes: dataBytes)
            }
            if entry.byteRange.lowerBound < position, let previous { throw .overlappingTensors(previous, entry.name) }
            if entry.byteRange.lowerBound > position {
                throw .uncoveredBytes(begin: position, end: entry.byteRange.lowerBound)
            }
            position = entry.byteRange.upperBound
            previous = entry.name
        }
        guard position == dataBytes else { throw .uncoveredBytes(begin: position, end: dataBytes) }
    }

    private static func malformed(_ reason: String) -> TensorFileError {
        .malformedHeader(.safetensors, reason: reason)
    }
}
