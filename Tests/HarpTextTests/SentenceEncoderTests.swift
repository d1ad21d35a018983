import Foundation
import HarpTensor
import HarpTestSupport
import Testing
@testable import HarpText

/// The all-MiniLM-L6-v2 pipeline on a tiny random BERT of the same layout with a trained WordPiece
/// vocabulary (tools/text/make_minilm_fixtures.py): ids equal `transformers`' BertTokenizer, and
/// embeddings equal sentence-transformers' `encode` (mean pooling, normalised).
struct SentenceEncoderTests {
    struct Reference: Decodable {
        var strings: [String]
        var ids: [[Int]]
        var sentences: [String]
        var embeddings: [[Float]]
    }

    static let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("minilm_tiny")

    static func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: folder.appendingPathComponent("reference.json")))
    }

    @Test func wordPieceIdsMatchTransformers() throws {
        let reference = try Self.reference()
        let tokenizer = try WordPieceTokenizer(vocabularyFile: Self.folder.appendingPathComponent("vocab.txt"), maximumLength: 100_000)
        var mismatches = 0
        for (text, expected) in zip(reference.strings, reference.ids) where tokenizer.encode(text) != expected {
            mismatches += 1
            if mismatches <= 5 { Issue.record("\(text.debugDescription): \(tokenizer.encode(text)) != \(expected)") }
        }
        #expect(mismatches == 0, "\(mismatches) of \(reference.strings.count) strings differ")
    }

    @Test func embeddingsMatchSentenceTransformers() throws {
        let reference = try Self.reference()
        let encoder = try SentenceEncoder.load(folder: Self.folder)
        #expect(encoder.tokenizer.maximumLength == 48)
        let embeddings = encoder.embed(reference.sentences)
        let expected = Tensor(shape: [reference.sentences.count, reference.embeddings[0].count], values: reference.embeddings.flatMap { $0 })
        expectClose(embeddings, expected, relative: 0, absolute: 1e-5, "embeddings")
    }

    @Test func missingWeightIsNamed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harp-minilm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.folder.appendingPathComponent("config.json"), to: directory.appendingPathComponent("config.json"))
        try SafeTensors.write(["embeddings.word_embeddings.weight": Tensor.zeros([700, 32])], to: directory.appendingPathComponent("model.safetensors"))
        #expect(throws: TokenizerError.self) { try SentenceEncoder.load(folder: directory) }
    }
}

/// all-MiniLM-L6-v2 itself, when `HARP_MINILM` names its folder and `HARP_MINILM_REFERENCE` the
/// JSON `tools/text/check_minilm.py` writes (sentence-transformers' embeddings of a few hundred
/// sentences). Skipped otherwise: the weights (90 MB) are not in the repository.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["HARP_MINILM"] != nil))
struct MiniLMRealModelTests {
    @Test func embeddingsMatchSentenceTransformers() throws {
        let environment = ProcessInfo.processInfo.environment
        let folder = URL(fileURLWithPath: environment["HARP_MINILM"]!)
        let reference = try JSONDecoder().decode(SentenceEncoderTests.Reference.self,
                                                 from: Data(contentsOf: URL(fileURLWithPath: environment["HARP_MINILM_REFERENCE"]!)))
        let encoder = try SentenceEncoder.load(folder: folder)
        for (text, expected) in zip(reference.strings, reference.ids) { #expect(encoder.tokenizer.encode(text) == expected) }
        var worst: Float = 0
        for start in stride(from: 0, to: reference.sentences.count, by: 32) {
            let end = min(start + 32, reference.sentences.count)
            let embeddings = encoder.embed(Array(reference.sentences[start..<end]))
            let expected = reference.embeddings[start..<end].flatMap { $0 }
            worst = max(worst, zip(embeddings.scalars, expected).map { abs($0 - $1) }.max() ?? 0)
        }
        print("all-MiniLM-L6-v2: \(reference.sentences.count) sentences, max |Harp − sentence-transformers| = \(worst)")
        #expect(worst < 1e-4)
    }
}
