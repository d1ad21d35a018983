import Foundation

/// BERT's tokenizer (`transformers` `BertTokenizer`, uncased): special tokens taken verbatim, then
/// the text cleaned (control characters dropped, white space made spaces), CJK ideographs set
/// apart, accents stripped and lower-cased; words split at white space and punctuation; each word
/// cut greedily into the longest vocabulary pieces (`##` marking continuations), `[UNK]` for a
/// word that cannot be cut or is over 100 characters; `[CLS] … [SEP]` around it.
///
/// ref: huggingface/tokenizers `normalizers/bert.rs`, `pre_tokenizers/bert.rs`,
/// `models/wordpiece/mod.rs`; Devlin et al. 2019 (BERT).
public struct WordPieceTokenizer: Sendable {
    public let vocabulary: [String: Int]
    public let unknownID: Int
    public let classID: Int
    public let separatorID: Int
    public let padID: Int
    public let lowercases: Bool
    /// The longest sequence, `[CLS]` and `[SEP]` included.
    public let maximumLength: Int
    let specialTokens: [(text: String, id: Int)]
    static let maximumWordCharacters = 100

    /// From `tokens` in id order (a `vocab.txt`, one a line).
    public init(tokens: [String], lowercases: Bool = true, maximumLength: Int = 512) throws(TokenizerError) {
        var vocabulary: [String: Int] = [:]
        for (id, token) in tokens.enumerated() where vocabulary[token] == nil { vocabulary[token] = id }
        func id(_ token: String) throws(TokenizerError) -> Int {
            guard let id = vocabulary[token] else { throw .malformed(file: "vocab.txt", reason: "no \(token) token") }
            return id
        }
        self.vocabulary = vocabulary
        unknownID = try id("[UNK]")
        classID = try id("[CLS]")
        separatorID = try id("[SEP]")
        padID = try id("[PAD]")
        self.lowercases = lowercases
        self.maximumLength = max(maximumLength, 3)
        specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].compactMap { token in vocabulary[token].map { (token, $0) } }
    }

    /// Reads `vocab.txt`.
    public init(vocabularyFile url: URL, lowercases: Bool = true, maximumLength: Int = 512) throws(TokenizerError) {
        let bytes = try SentencePieceTokenizer.contents(of: url)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .malformed(file: url.path, reason: "not UTF-8 text")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if lines.last == "" { lines.removeLast() }
        do { try self.init(tokens: lines, lowercases: lowercases, maximumLength: maximumLength) } catch {
            if case .malformed(_, let reason) = error { throw .malformed(file: url.path, reason: reason) }
            throw error
        }
    }

    /// `[CLS] ids [SEP]`, cut to `maximumLength` (`[SEP]` kept).
    public func encode(_ text: String) -> [Int] {
        encodeReportingCut(text).ids
    }

    /// `encode(text)`, and whether the ids were cut to `maximumLength`.
    public func encodeReportingCut(_ text: String) -> (ids: [Int], wasCut: Bool) {
        var ids: [Int] = []
        for segment in SpecialTokenMatcher(specialTokens).segments(text) {
            switch segment {
            case .special(let id): ids.append(id)
            case .text(let run, _): for word in words(normalized(run)) { ids += pieces(word) }
            }
        }
        return ([classID] + ids.prefix(maximumLength - 2) + [separatorID], ids.count > maximumLength - 2)
    }

    /// `BertNormalizer`: clean, isolate CJK ideographs, strip accents and lower-case (uncased).
    func normalized(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
            if Self.isWhitespace(scalar) { scalars.append(" "); continue }
            if Self.isCJK(scalar) {
                scalars.append(" "); scalars.append(scalar); scalars.append(" ")
                continue
            }
            scalars.append(scalar)
        }
        guard lowercases else { return String(scalars) }
        let stripped = String(scalars).decomposedStringWithCanonicalMapping.unicodeScalars
            .filter { $0.properties.generalCategory != .nonspacingMark }
        // Character by character, as Rust's `char::to_lowercase` (no final-sigma context, unlike `lowercased()`).
        return stripped.map { $0.properties.lowercaseMapping }.joined()
    }

    /// `BertPreTokenizer`: split at white space (dropped) and around each punctuation mark (kept).
    func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func close() {
            if !current.isEmpty { words.append(String(current)); current = String.UnicodeScalarView() }
        }
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace { close(); continue }
            if Self.isPunctuation(scalar) { close(); words.append(String(scalar)); continue }
            current.append(scalar)
        }
        close()
        return words
    }

    /// Greedy longest-match-first WordPiece; the whole word is `[UNK]` when a piece is missing.
    func pieces(_ word: String) -> [Int] {
        let characters = Array(word.unicodeScalars)
        guard characters.count <= Self.maximumWordCharacters else { return [unknownID] }
        var ids: [Int] = []
        var start = 0
        while start < characters.count {
            var end = characters.count
            var found: Int?
            while end > start {
                let piece = (start > 0 ? "##" : "") + String(String.UnicodeScalarView(characters[start..<end]))
                if let id = vocabulary[piece] { found = id; break }
                end -= 1
            }
            guard let found else { return [unknownID] }
            ids.append(found)
            start = end
        }
        return ids
    }

    /// Unicode general category C* except tab, newline and carriage return.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: return true
        default: return false
        }
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.isWhitespace
    }

    /// ASCII punctuation and symbols (`!`…`/`, `:`…`@`, `[`…`` ` ``, `{`…`~`) or a Unicode P* character.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    /// The CJK Unified Ideographs blocks BERT sets apart.
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F: return true
        default: return false
        }
    }
}
