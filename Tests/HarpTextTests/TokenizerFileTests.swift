import Foundation
import Testing
@testable import HarpText

/// Malformed tokenizer files: one clear error each, no crash.
struct TokenizerFileTests {
    static let folder = T5TokenizerParityTests.folder

    func temporaryFile(_ bytes: [UInt8], name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harp-text-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    @Test func truncatedSpieceModelIsOneError() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent("spiece.model")))
        for length in [1, 7, 1000, bytes.count / 2, bytes.count - 3] {
            let url = try temporaryFile(Array(bytes.prefix(length)), name: "spiece.model")
            #expect(throws: TokenizerError.self) { try SentencePieceTokenizer(sentencePieceModel: url) }
        }
    }

    @Test func garbageIsOneError() throws {
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let model = try temporaryFile(noise, name: "spiece.model")
        #expect(throws: TokenizerError.self) { try SentencePieceTokenizer(sentencePieceModel: model) }
        let json = try temporaryFile(Array("{\"model\": {\"type\": \"BPE\"}}".utf8), name: "tokenizer.json")
        #expect(throws: TokenizerError.unsupported(file: json.path, what: "BPE model; only Unigram is read")) {
            try SentencePieceTokenizer(tokenizerJSON: json)
        }
        let broken = try temporaryFile(Array("{\"model\": ".utf8), name: "tokenizer.json")
        #expect(throws: TokenizerError.malformed(file: broken.path, reason: "not JSON")) {
            try SentencePieceTokenizer(tokenizerJSON: broken)
        }
    }

    @Test func folderWithoutTokenizerSaysSo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harp-text-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        #expect(throws: TokenizerError.noTokenizer(folder: directory.path)) { try SentencePieceTokenizer.load(folder: directory) }
    }
}
