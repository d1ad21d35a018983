import Foundation
import HarpTensor

/// A sentence-transformers text embedder of all-MiniLM-L6-v2's kind: WordPiece ids through a BERT
/// encoder, the token states averaged over the mask, then scaled to unit length.
///
/// ```swift
/// let encoder = try SentenceEncoder.load(folder: URL(fileURLWithPath: "all-MiniLM-L6-v2"))
/// let embeddings = encoder.embed(["solo piano", "heavy drums"])   // [2, 384]
/// ```
///
/// ref: UKPLab/sentence-transformers `models/Pooling.py` (mean), `models/Normalize.py`.
public final class SentenceEncoder {
    public let tokenizer: WordPieceTokenizer
    public let encoder: BertEncoder

    public init(tokenizer: WordPieceTokenizer, encoder: BertEncoder) {
        self.tokenizer = tokenizer
        self.encoder = encoder
    }

    /// The folder sentence-transformers saves: `config.json`, `model.safetensors`, `vocab.txt`;
    /// the length limit from `sentence_bert_config.json` (`max_seq_length`), else
    /// `tokenizer_config.json` (`model_max_length`), never beyond the position table.
    public static func load(folder: URL) throws(TokenizerError) -> SentenceEncoder {
        let encoder = try BertEncoder.load(folder: folder)
        let limit = [("sentence_bert_config.json", "max_seq_length"), ("tokenizer_config.json", "model_max_length")]
            .lazy.compactMap { Self.number($1, in: folder.appendingPathComponent($0)) }.first
        let settings = Self.json(folder.appendingPathComponent("tokenizer_config.json"))
        let tokenizer = try WordPieceTokenizer(vocabularyFile: folder.appendingPathComponent("vocab.txt"),
                                               lowercases: settings["do_lower_case"] as? Bool ?? true,
                                               maximumLength: min(limit ?? 512, encoder.configuration.maximumPositionCount))
        return SentenceEncoder(tokenizer: tokenizer, encoder: encoder)
    }

    /// Unit-length embeddings `[texts, hidden]`, the texts run as one right-padded batch.
    public func embed(_ texts: [String]) -> Tensor {
        guard !texts.isEmpty else { return Tensor.zeros([0, encoder.configuration.hiddenSize]) }
        let batch = tokenize(texts)
        return embed(ids: batch.ids, mask: batch.mask)
    }

    /// Unit-length embeddings `[batch, hidden]` of token ids `[batch, length]` (the tokenizer's,
    /// right-padded) with their mask (1 = token).
    public func embed(ids: IntTensor, mask: IntTensor) -> Tensor {
        let (batch, width) = (ids.shape[0], ids.shape[1])
        return withoutGradients {
            let states = encoder(ids: ids, mask: mask)
            let weights = Tensor(shape: [batch, width, 1], values: mask.scalars.map { Float($0) })
            let mean = (states * weights).sum(alongAxis: 1) / weights.sum(alongAxis: 1).clamped(min: 1e-9)
            // sentence-transformers' Normalize: x / max(‖x‖, 1e-12).
            let length = (mean * mean).sum(alongAxis: 1, keepDims: true).sqrt()
            return mean / length.clamped(min: 1e-12)
        }
    }

    /// Token ids and mask `[texts, longest]` for `texts`, right-padded with `[PAD]`, and which
    /// texts were cut to the tokenizer's limit.
    public func tokenize(_ texts: [String]) -> (ids: IntTensor, mask: IntTensor, truncated: [Int]) {
        let encoded = texts.map(tokenizer.encodeReportingCut)
        let width = max(1, encoded.map(\.ids.count).max() ?? 0)
        let ids = encoded.flatMap { $0.ids + Array(repeating: tokenizer.padID, count: width - $0.ids.count) }
        let mask = encoded.flatMap { Array(repeating: Int32(1), count: $0.ids.count) + Array(repeating: 0, count: width - $0.ids.count) }
        return (IntTensor(shape: [texts.count, width], scalars: ids.map { Int32($0) }),
                IntTensor(shape: [texts.count, width], scalars: mask), texts.indices.filter { encoded[$0].wasCut })
    }

    private static func json(_ url: URL) -> [String: Any] {
        guard let bytes = try? SentencePieceTokenizer.contents(of: url),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return [:] }
        return object
    }

    private static func number(_ key: String, in url: URL) -> Int? {
        guard let value = (json(url)[key] as? NSNumber)?.doubleValue, value >= 1, value <= 1_000_000 else { return nil }
        return Int(value)
    }
}
