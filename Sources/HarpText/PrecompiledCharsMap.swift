/// SentencePiece's compiled normalisation rules (`precompiled_charsmap`, e.g. T5's `nmt_nfkc`):
/// a darts-clone double-array trie over UTF-8 byte strings whose values are offsets into a pool
/// of NUL-terminated replacements.
///
/// Layout: a little-endian `UInt32` trie size in bytes, the trie's `UInt32` units, then the pool.
/// Normalisation follows `transformers`' tokenizers (not sentencepiece itself): each grapheme
/// cluster shorter than 6 bytes is replaced whole by the rule of the *shortest* key that prefixes
/// it; otherwise each of its characters is looked up alone.
///
/// ref: huggingface/spm_precompiled `src/lib.rs` (`normalize_string`, `transform`);
/// s-yata/darts-clone `include/darts.h` (unit layout, `commonPrefixSearch`).
public struct PrecompiledCharsMap: Sendable {
    struct Failure: Error { let reason: String }

    private let units: [UInt32]
    private let pool: [UInt8]

    init(_ bytes: [UInt8]) throws {
        guard bytes.count >= 4 else { throw Failure(reason: "charsmap shorter than its header") }
        let trieSize = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
        guard trieSize % 4 == 0, trieSize >= 4, trieSize <= bytes.count - 4 else {
            throw Failure(reason: "charsmap trie of \(trieSize) bytes in \(bytes.count - 4)")
        }
        units = stride(from: 4, to: 4 + trieSize, by: 4).map { i in
            UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
        }
        pool = Array(bytes[(4 + trieSize)...])
    }

    /// `text` with the rules applied.
    public func normalized(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for cluster in text {
            let clusterBytes = Array(cluster.utf8)
            if clusterBytes.count < 6, let replacement = replacement(forPrefixOf: clusterBytes) {
                output += replacement
                continue
            }
            for scalar in cluster.unicodeScalars {
                let scalarBytes = Array(String(scalar).utf8)
                output += replacement(forPrefixOf: scalarBytes) ?? scalarBytes[...]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The replacement of the shortest key that is a prefix of `key`, or `nil`.
    func replacement(forPrefixOf key: [UInt8]) -> ArraySlice<UInt8>? {
        guard let offset = firstPrefixValue(key), offset < pool.count else { return nil }
        let end = pool[offset...].firstIndex(of: 0) ?? pool.count
        return pool[offset..<end]
    }

    // darts-clone unit fields.
    private static func hasLeaf(_ unit: UInt32) -> Bool { (unit >> 8) & 1 == 1 }
    private static func value(_ unit: UInt32) -> Int { Int(unit & 0x7FFF_FFFF) }
    private static func label(_ unit: UInt32) -> UInt32 { unit & 0x8000_00FF }
    private static func offset(_ unit: UInt32) -> Int { Int((unit >> 10) << ((unit & (1 << 9)) >> 6)) }

    private func firstPrefixValue(_ key: [UInt8]) -> Int? {
        var node = Self.offset(units[0])
        for byte in key {
            guard byte != 0 else { return nil }
            node ^= Int(byte)
            guard node < units.count else { return nil }
            let unit = units[node]
            guard Self.label(unit) == UInt32(byte) else { return nil }
            node ^= Self.offset(unit)
            if Self.hasLeaf(unit) {
                guard node < units.count else { return nil }
                return Self.value(units[node])
            }
        }
        return nil
    }
}
