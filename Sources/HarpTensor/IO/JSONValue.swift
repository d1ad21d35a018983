/// A parsed JSON value whose objects keep their keys in order, duplicates included, so the
/// safetensors reader can reject duplicate tensor names (Foundation's parser keeps one silently).
enum JSONValue: Equatable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// The number's text, converted by the reader that knows which type it expects.
    case number(String)
    case boolean(Bool)
    case null

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.array(a), .array(b)): return a == b
        case let (.string(a), .string(b)), let (.number(a), .number(b)): return a == b
        case let (.boolean(a), .boolean(b)): return a == b
        case (.null, .null): return true
        default: return false
        }
    }

    /// Parses `bytes` as one JSON value (RFC 8259), followed only by whitespace.
    static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.fail("unexpected text after the value") }
        return value
    }
}

/// Why JSON text could not be parsed, with the byte offset.
struct JSONParseError: Error {
    let reason: String
}

/// A recursive-descent JSON parser over UTF-8 bytes, with a nesting limit so hostile input
/// cannot exhaust the stack.
private struct JSONParser {
    static let depthLimit = 64
    let bytes: [UInt8]
    var index = 0

    mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < Self.depthLimit else { throw fail("nesting too deep") }
        skipWhitespace()
        guard index < bytes.count else { throw fail("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .boolean(true)
        case UInt8(ascii: "f"): try literal("false"); return .boolean(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try number())
        }
    }

    private mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        if try peek() == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            guard try peek() == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let key = try string()
            guard try peek() == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            members.append((key, try value(depth: depth + 1)))
            let next = try peek()
            index += 1
            if next == UInt8(ascii: "}") { return .object(members) }
            guard next == UInt8(ascii: ",") else { throw fail("expected ',' or '}'") }
        }
    }

    private mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        if try peek() == UInt8(ascii: "]") { index += 1; return .array(elements) }
        while true {
            elements.append(try value(depth: depth + 1))
            let next = try peek()
            index += 1
            if next == UInt8(ascii: "]") { return .array(elements) }
            guard next == UInt8(ascii: ",") else { throw fail("expected ',' or ']'") }
        }
    }

    private mutating func string() throws(JSONParseError) -> String {
        index += 1
        var scalars: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: scalars, as: UTF8.self) else { throw fail("invalid UTF-8") }
                return text
            case UInt8(ascii: "\\"): scalars += try escape()
            case 0..<0x20: throw fail("control character in string")
            default: scalars.append(byte)
            }
        }
        throw fail("unterminated string")
    }

    /// The UTF-8 bytes of the escape sequence after a backslash.
    private mutating func escape() throws(JSONParseError) -> [UInt8] {
        guard index < bytes.count else { throw fail("unterminated escape") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return [byte]
        case UInt8(ascii: "b"): return [0x08]
        case UInt8(ascii: "f"): return [0x0C]
        case UInt8(ascii: "n"): return [0x0A]
        case UInt8(ascii: "r"): return [0x0D]
        case UInt8(ascii: "t"): return [0x09]
        case UInt8(ascii: "u"): return Array(String(try unicodeScalar()).utf8)
        default: throw fail("unknown escape")
        }
    }

    private mutating func unicodeScalar() throws(JSONParseError) -> Character {
        var unit = try hex4()
        if (0xD800..<0xDC00).contains(unit) {
            // A surrogate pair: \uD83D\uDE00.
            guard consume("\\u") else { throw fail("lone surrogate") }
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw fail("bad surrogate pair") }
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(unit) else { throw fail("invalid code point") }
        return Character(scalar)
    }

    private mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard bytes.count - index >= 4,
              let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else { throw fail("bad \\u escape") }
        index += 4
        return value
    }

    private mutating func number() throws(JSONParseError) -> String {
        let start = index
        let allowed = Set("+-0123456789.eE".utf8)
        while index < bytes.count, allowed.contains(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard !text.isEmpty, Double(text) != nil else { throw fail("invalid value at offset \(start)") }
        return text
    }

    private mutating func literal(_ word: String) throws(JSONParseError) {
        guard consume(word) else { throw fail("invalid literal at offset \(index)") }
    }

    private mutating func consume(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard bytes.count - index >= utf8.count, Array(bytes[index..<index + utf8.count]) == utf8 else { return false }
        index += utf8.count
        return true
    }

    private mutating func peek() throws(JSONParseError) -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw fail("unexpected end") }
        return bytes[index]
    }

    mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    func fail(_ reason: String) -> JSONParseError {
        JSONParseError(reason: reason)
    }
}
