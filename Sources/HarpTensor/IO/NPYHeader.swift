/// The dictionary literal of a `.npy` header: `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
///
/// ref: numpy/lib/format.py (format description); this is a parser for that restricted literal
/// only (strings, booleans, tuples of integers), never a Python evaluator.
struct NPYHeader: Equatable {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// Parses the header text (after the length field).
    static func parse(_ bytes: some Collection<UInt8>) throws(TensorFileError) -> NPYHeader {
        var parser = LiteralParser(bytes: Array(bytes))
        let entries = try parser.dictionary()
        var seen = Set<String>()
        for (key, _) in entries where !seen.insert(key).inserted {
            throw .malformedHeader(.npy, reason: "duplicate key '\(key)'")
        }
        let values = Dictionary(entries, uniquingKeysWith: { first, _ in first })
        guard case let .string(descr)? = values["descr"] else { throw missing("descr") }
        guard case let .boolean(fortranOrder)? = values["fortran_order"] else { throw missing("fortran_order") }
        guard case let .tuple(shape)? = values["shape"] else { throw missing("shape") }
        return NPYHeader(descr: descr, fortranOrder: fortranOrder, shape: shape)
    }

    private static func missing(_ key: String) -> TensorFileError {
        .malformedHeader(.npy, reason: "missing or mistyped key '\(key)'")
    }

    /// The literal NumPy writes for this header (keys sorted, trailing comma on 1-tuples).
    var literal: String {
        let dims = shape.map(String.init)
        let tuple = dims.count == 1 ? "(\(dims[0]),)" : "(" + dims.joined(separator: ", ") + ")"
        return "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(tuple), }"
    }
}

/// A value in the header literal.
private enum LiteralValue {
    case string(String)
    case boolean(Bool)
    case tuple([Int])
}

/// A cursor over the header bytes.
private struct LiteralParser {
    let bytes: [UInt8]
    var index = 0

    mutating func dictionary() throws(TensorFileError) -> [(String, LiteralValue)] {
        try expect(UInt8(ascii: "{"))
        var entries: [(String, LiteralValue)] = []
        while try peek() != UInt8(ascii: "}") {
            guard case let .string(key) = try value() else { throw fail("dictionary key is not a string") }
            try expect(UInt8(ascii: ":"))
            entries.append((key, try value()))
            if try peek() == UInt8(ascii: ",") { index += 1 } else { break }
        }
        try expect(UInt8(ascii: "}"))
        skipWhitespace()
        guard index == bytes.count else { throw fail("unexpected text after the dictionary") }
        return entries
    }

    private mutating func value() throws(TensorFileError) -> LiteralValue {
        switch try peek() {
        case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "("): return .tuple(try tuple())
        default:
            if consume("True") { return .boolean(true) }
            if consume("False") { return .boolean(false) }
            throw fail("unexpected character at offset \(index)")
        }
    }

    private mutating func string() throws(TensorFileError) -> String {
        let quote = bytes[index]
        index += 1
        let start = index
        while index < bytes.count, bytes[index] != quote {
            if bytes[index] == UInt8(ascii: "\\") { throw fail("escapes in strings are not supported") }
            index += 1
        }
        guard index < bytes.count else { throw fail("unterminated string") }
        defer { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func tuple() throws(TensorFileError) -> [Int] {
        try expect(UInt8(ascii: "("))
        var dims: [Int] = []
        while try peek() != UInt8(ascii: ")") {
            dims.append(try integer())
            if try peek() == UInt8(ascii: ",") { index += 1 } else { break }
        }
        try expect(UInt8(ascii: ")"))
        return dims
    }

    private mutating func integer() throws(TensorFileError) -> Int {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        // Python 2 era files may write long integers as `3L`.
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if index < bytes.count, bytes[index] == UInt8(ascii: "L") { index += 1 }
        guard let value = Int(text) else { throw fail("shape entry '\(text)' is not an integer that fits") }
        return value
    }

    private mutating func peek() throws(TensorFileError) -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw fail("unexpected end") }
        return bytes[index]
    }

    private mutating func expect(_ byte: UInt8) throws(TensorFileError) {
        guard try peek() == byte else { throw fail("expected '\(Character(UnicodeScalar(byte)))' at offset \(index)") }
        index += 1
    }

    private mutating func consume(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard bytes.count - index >= utf8.count, Array(bytes[index..<index + utf8.count]) == utf8 else { return false }
        index += utf8.count
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private func fail(_ reason: String) -> TensorFileError {
        .malformedHeader(.npy, reason: reason)
    }
}
