/// Text to token ids the way `transformers`' T5 tokenizer does it: special tokens are taken out
/// of the raw text first; the rest is normalised, split into words, each word segmented by the
/// unigram model; the template's special tokens (T5: `</s>`) are appended.
///
/// Made from a SentencePiece `spiece.model` or a `tokenizer.json` (see `+Loading`); both give
/// the same ids for the same model.
public struct SentencePieceTokenizer: Sendable {
    public let model: UnigramModel
    public let normalizers: [TextNormalizer]
    public let splitters: [WordSplitter]
    /// Tokens matched verbatim in the raw text (`</s>`, `<pad>`, `<extra_id_0>`, …), longest first.
    public let specialTokens: [(text: String, id: Int)]
    /// Ids put before and after every encoded text (T5: none, and `</s>`).
    public let prefixIDs: [Int]
    public let suffixIDs: [Int]
    /// The padding id (T5: 0).
    public let padID: Int
    /// The longest sequence the encoder takes, special tokens included (T5: 512).
    public let maximumLength: Int

    public init(model: UnigramModel, normalizers: [TextNormalizer], splitters: [WordSplitter],
                specialTokens: [(text: String, id: Int)], prefixIDs: [Int], suffixIDs: [Int], padID: Int,
                maximumLength: Int) {
        self.model = model
        self.normalizers = normalizers
        self.splitters = splitters
        self.specialTokens = specialTokens.filter { !$0.text.isEmpty }.sorted { $0.text.utf8.count > $1.text.utf8.count }
        self.prefixIDs = prefixIDs
        self.suffixIDs = suffixIDs
        self.padID = padID
        self.maximumLength = max(maximumLength, prefixIDs.count + suffixIDs.count + 1)
    }

    /// One text's ids, the template's special tokens included.
    public func encode(_ text: String) -> [Int] { prefixIDs + contentIDs(text) + suffixIDs }

    /// One text's ids, cut to `maximumLength` (content first, the template's tokens kept),
    /// and whether anything was cut.
    public func encodeTruncating(_ text: String, maximumLength: Int? = nil) -> (ids: [Int], truncated: Bool) {
        let limit = max(maximumLength ?? self.maximumLength, prefixIDs.count + suffixIDs.count)
        let content = contentIDs(text)
        let room = limit - prefixIDs.count - suffixIDs.count
        return (prefixIDs + content.prefix(room) + suffixIDs, content.count > room)
    }

    /// The ids of `text` without the template: special tokens verbatim, other runs segmented.
    func contentIDs(_ text: String) -> [Int] {
        var ids: [Int] = []
        for segment in SpecialTokenMatcher(specialTokens).segments(text) {
            switch segment {
            case .special(let id): ids.append(id)
            case let .text(run, startsText):
                let normalized = normalizers.reduce(run) { $1.normalized($0) }
                var words: [WordSplitter.Word] = [(normalized.unicodeScalars, startsText)]
                for splitter in splitters { words = splitter.split(words) }
                for word in words { ids += model.encode(String(word.text)) }
            }
        }
        return ids
    }

    /// Several texts as a right-padded batch: ids and mask (1 = token), each `[texts, longest]`
    /// flattened row by row, and the indices of the texts that were cut to `maximumLength`.
    public func encodeBatch(_ texts: [String]) -> (ids: [[Int]], mask: [[Int]], truncated: [Int]) {
        let encoded = texts.map { encodeTruncating($0) }
        let width = encoded.map(\.ids.count).max() ?? 0
        let ids = encoded.map { $0.ids + Array(repeating: padID, count: width - $0.ids.count) }
        let mask = encoded.map { Array(repeating: 1, count: $0.ids.count) + Array(repeating: 0, count: width - $0.ids.count) }
        return (ids, mask, encoded.indices.filter { encoded[$0].truncated })
    }
}
