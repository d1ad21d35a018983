import Foundation
import Testing
@testable import HarpText

/// The ids `transformers`' T5Tokenizer gives for ~200 varied strings (tools/text/make_tokenizer_fixtures.py),
/// from a unigram model trained by sentencepiece, read from spiece.model and from tokenizer.json.
struct T5TokenizerParityTests {
    struct Reference: Decodable {
        struct Truncated: Decodable {
            var max_length: Int
            var ids: [[Int]]
        }
        var vocab_size: Int
        var strings: [String]
        var ids: [[Int]]
        var truncated: Truncated
    }

    static let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("t5")

    static func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: folder.appendingPathComponent("t5_ids.json")))
    }

    static func assertMatches(_ tokenizer: SentencePieceTokenizer) throws {
        let reference = try reference()
        #expect(tokenizer.model.vocabulary.count == reference.vocab_size)
        var mismatches = 0
        for (text, expected) in zip(reference.strings, reference.ids) {
            let ids = tokenizer.encode(text)
            if ids != expected {
                mismatches += 1
                if mismatches <= 5 { Issue.record("\(text.debugDescription): \(ids) != \(expected)") }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(reference.strings.count) strings differ")
        for (text, expected) in zip(reference.strings, reference.truncated.ids) {
            #expect(tokenizer.encodeTruncating(text, maximumLength: reference.truncated.max_length).ids == expected)
        }
    }

    @Test func spieceModelMatchesTransformers() throws {
        try Self.assertMatches(SentencePieceTokenizer(sentencePieceModel: Self.folder.appendingPathComponent("spiece.model")))
    }

    @Test func tokenizerJSONMatchesTransformers() throws {
        try Self.assertMatches(SentencePieceTokenizer(tokenizerJSON: Self.folder.appendingPathComponent("tokenizer.json")))
    }

    @Test func folderPrefersTokenizerJSONAndTruncatesAt512() throws {
        let tokenizer = try SentencePieceTokenizer.load(folder: Self.folder)
        let long = String(repeating: "music ", count: 2000)
        let (ids, truncated) = tokenizer.encodeTruncating(long)
        #expect(truncated && ids.count == 512 && ids.last == 1)
        #expect(!tokenizer.encodeTruncating("music").truncated)
    }

    @Test func batchIsRightPaddedWithMask() throws {
        let tokenizer = try SentencePieceTokenizer.load(folder: Self.folder)
        let batch = tokenizer.encodeBatch(["a", "jazz song with drums"])
        let longer = tokenizer.encode("jazz song with drums")
        #expect(batch.ids[1] == longer)
        #expect(batch.ids[0] == tokenizer.encode("a") + Array(repeating: 0, count: longer.count - 2))
        #expect(batch.mask[0] == [1, 1] + Array(repeating: 0, count: longer.count - 2))
        #expect(batch.truncated.isEmpty)
    }
}
