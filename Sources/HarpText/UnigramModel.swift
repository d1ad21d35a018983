/// A unigram language model over pieces: the segmentation of a word is the one whose pieces'
/// log-probabilities sum highest (Viterbi over the word's characters).
///
/// A character no piece starts with becomes the unknown piece, scored 10 below the lowest piece
/// score; neighbouring unknowns fuse into one. With byte fallback an unknown run is spelled as
/// `<0xXX>` byte pieces instead. Ties keep the path found first (shorter pieces, earlier starts),
/// as `tokenizers` does, so ids match exactly.
///
/// ref: huggingface/tokenizers `tokenizers/src/models/unigram/model.rs` (`encode_optimized`);
/// Kudo 2018, "Subword Regularization" (the model).
public struct UnigramModel: Sendable {
    /// `(piece, score)` in id order.
    public let vocabulary: [(piece: String, score: Double)]
    public let unknownID: Int
    public let byteFallback: Bool

    /// Piece bytes → id. Pieces are looked up by every prefix of the rest of the word up to the
    /// longest piece, which for prompts is as fast as a trie and simpler.
    private let ids: [[UInt8]: Int]
    private let longestPieceBytes: Int
    private let unknownScore: Double

    /// ref: sentencepiece `unigram_model.cc` `kUnkPenalty`.
    static let unknownPenalty = 10.0

    public init(vocabulary: [(piece: String, score: Double)], unknownID: Int, byteFallback: Bool) {
        precondition(vocabulary.indices.contains(unknownID), "unknown id \(unknownID) outside the vocabulary")
        self.vocabulary = vocabulary
        self.unknownID = unknownID
        self.byteFallback = byteFallback
        var ids: [[UInt8]: Int] = [:]
        for (id, entry) in vocabulary.enumerated() where ids[Array(entry.piece.utf8)] == nil {
            ids[Array(entry.piece.utf8)] = id
        }
        self.ids = ids
        longestPieceBytes = max(1, vocabulary.map { $0.piece.utf8.count }.max() ?? 1)
        unknownScore = (vocabulary.map(\.score).min() ?? 0) - Self.unknownPenalty
    }

    /// The id of `piece`, if it is in the vocabulary.
    public func id(of piece: String) -> Int? { ids[Array(piece.utf8)] }

    /// The ids of one pre-tokenized word.
    public func encode(_ word: String) -> [Int] {
        let bytes = Array(word.utf8)
        guard !bytes.isEmpty else { return [] }
        let path = bestPath(bytes)
        var result: [Int] = []
        var previousWasUnknown = false
        for (start, end, id) in path {
            if id == unknownID && byteFallback, let spelled = byteIDs(bytes[start..<end]) {
                result += spelled
                previousWasUnknown = false
                continue
            }
            if id == unknownID && previousWasUnknown { continue }
            result.append(id)
            previousWasUnknown = id == unknownID
        }
        return result
    }

    /// The best segmentation as `(start, end, id)` byte ranges.
    private func bestPath(_ bytes: [UInt8]) -> [(Int, Int, Int)] {
        struct Node { var score = 0.0; var start = -1; var id = 0 }
        var best = [Node](repeating: Node(), count: bytes.count + 1)
        var start = 0
        while start < bytes.count {
            let characterLength = Self.utf8Length(leading: bytes[start], remaining: bytes.count - start)
            let scoreHere = best[start].score
            var coversCharacter = false
            for end in (start + 1)...min(bytes.count, start + longestPieceBytes) {
                guard let id = ids[Array(bytes[start..<end])] else { continue }
                let candidate = scoreHere + vocabulary[id].score
                if best[end].start < 0 || candidate > best[end].score { best[end] = Node(score: candidate, start: start, id: id) }
                if end - start == characterLength { coversCharacter = true }
            }
            if !coversCharacter {
                let end = start + characterLength
                let candidate = scoreHere + unknownScore
                if best[end].start < 0 || candidate > best[end].score { best[end] = Node(score: candidate, start: start, id: unknownID) }
            }
            start += characterLength
        }
        var path: [(Int, Int, Int)] = []
        var end = bytes.count
        while end > 0 {
            let node = best[end]
            path.append((node.start, end, node.id))
            end = node.start
        }
        return path.reversed()
    }

    /// `<0xXX>` pieces for `bytes`, or `nil` when the vocabulary lacks one of them.
    private func byteIDs(_ bytes: ArraySlice<UInt8>) -> [Int]? {
        var result: [Int] = []
        for byte in bytes {
            let hex = String(byte, radix: 16, uppercase: true)
            guard let id = id(of: "<0x\(hex.count == 1 ? "0" + hex : hex)>") else { return nil }
            result.append(id)
        }
        return result
    }

    private static func utf8Length(leading byte: UInt8, remaining: Int) -> Int {
        let length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
        return min(length, remaining)
    }
}
