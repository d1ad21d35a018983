/// A bounded reader of Protocol Buffers wire format: just enough to walk SentencePiece's
/// `ModelProto`. Every read checks the remaining bytes, so a truncated or hostile file fails
/// with `ProtobufReader.Failure` instead of reading past the end or allocating without bound.
///
/// ref: protobuf.dev "Encoding" (varints, wire types 0, 1, 2 and 5).
struct ProtobufReader {
    struct Failure: Error { let reason: String }

    /// A field's payload by wire type.
    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case bytes(ArraySlice<UInt8>)
        case fixed32(UInt32)
    }

    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    var isAtEnd: Bool { position >= bytes.endIndex }

    /// The next field: its number and payload.
    mutating func nextField() throws -> (number: Int, value: Value) {
        let key = try varint()
        let number = Int(key >> 3)
        guard number > 0 else { throw Failure(reason: "field number 0 at byte \(position)") }
        switch key & 7 {
        case 0: return (number, .varint(try varint()))
        case 1: return (number, .fixed64(try littleEndian(byteCount: 8)))
        case 2:
            let length = try varint()
            guard length <= UInt64(bytes.endIndex - position) else {
                throw Failure(reason: "field \(number) claims \(length) bytes, \(bytes.endIndex - position) remain")
            }
            let start = position
            position += Int(length)
            return (number, .bytes(bytes[start..<position]))
        case 5: return (number, .fixed32(UInt32(try littleEndian(byteCount: 4))))
        default: throw Failure(reason: "wire type \(key & 7) of field \(number) is not supported")
        }
    }

    private mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 70, by: 7) {
            guard position < bytes.endIndex else { throw Failure(reason: "truncated varint") }
            let byte = bytes[position]
            position += 1
            guard shift < 64 else { throw Failure(reason: "varint longer than 64 bits") }
            result |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte & 0x80 == 0 { return result }
        }
        throw Failure(reason: "varint longer than 64 bits")
    }

    private mutating func littleEndian(byteCount: Int) throws -> UInt64 {
        guard bytes.endIndex - position >= byteCount else { throw Failure(reason: "truncated fixed-width field") }
        var result: UInt64 = 0
        for i in 0..<byteCount { result |= UInt64(bytes[position + i]) << UInt64(8 * i) }
        position += byteCount
        return result
    }
}
