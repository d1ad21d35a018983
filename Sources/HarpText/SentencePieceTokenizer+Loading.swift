import Foundation

extension SentencePieceTokenizer {
    /// T5's default sentinel count (`<extra_id_0>` … `<extra_id_99>`), appended after the pieces.
    public static let defaultExtraIDCount = 100
    /// T5's `model_max_length`, used when the folder does not say.
    public static let defaultMaximumLength = 512
    /// Larger tokenizer files are refused before they are read (T5's tokenizer.json is 2.4 MB).
    static let maximumFileBytes = 64 << 20

    /// The tokenizer of a `transformers` folder: `tokenizer.json` if present, else `spiece.model`
    /// converted as `transformers`' T5 tokenizer converts it; the length limit from
    /// `tokenizer_config.json`'s `model_max_length` (else 512).
    public static func load(folder: URL) throws(TokenizerError) -> SentencePieceTokenizer {
        let config = Self.tokenizerConfig(folder.appendingPathComponent("tokenizer_config.json"))
        let limit = (config["model_max_length"] as? NSNumber)?.doubleValue
        let maximumLength = limit.map { $0 >= 1 && $0 <= 1_000_000 ? Int($0) : defaultMaximumLength } ?? defaultMaximumLength
        let json = folder.appendingPathComponent("tokenizer.json")
        if FileManager.default.fileExists(atPath: json.path) {
            return try SentencePieceTokenizer(tokenizerJSON: json, maximumLength: maximumLength)
        }
        let model = folder.appendingPathComponent("spiece.model")
        if FileManager.default.fileExists(atPath: model.path) {
            let extra = (config["extra_ids"] as? NSNumber)?.intValue ?? defaultExtraIDCount
            return try SentencePieceTokenizer(sentencePieceModel: model, extraIDCount: min(max(extra, 0), 10_000),
                                              maximumLength: maximumLength)
        }
        throw .noTokenizer(folder: folder.path)
    }

    /// T5's tokenizer from a SentencePiece model: its pieces then `extraIDCount` sentinels
    /// (`<extra_id_N>`, highest N first), control and unknown pieces and sentinels matched verbatim,
    /// the model's normalisation, words split at white space and marked with `▁`, `</s>` appended.
    ///
    /// ref: huggingface/transformers `models/t5/tokenization_t5.py` (`T5Tokenizer.__init__`).
    public init(sentencePieceModel url: URL, extraIDCount: Int = defaultExtraIDCount,
                maximumLength: Int = defaultMaximumLength) throws(TokenizerError) {
        let file = try SentencePieceModelFile(bytes: Self.contents(of: url), file: url.path)
        var vocabulary = file.pieces.map { (piece: $0.text, score: Double($0.score)) }
        var specials = file.pieces.indices
            .filter { [.control, .unknown].contains(file.pieces[$0].kind) }
            .map { (text: file.pieces[$0].text, id: $0) }
        for n in (0..<extraIDCount).reversed() {
            specials.append((text: "<extra_id_\(n)>", id: vocabulary.count))
            vocabulary.append((piece: "<extra_id_\(n)>", score: 0))
        }
        guard let unknownID = file.pieces.firstIndex(where: { $0.kind == .unknown }) else {
            throw .malformed(file: url.path, reason: "no unknown piece")
        }
        var normalizers: [TextNormalizer] = []
        if !file.precompiledCharsMap.isEmpty {
            do { normalizers.append(.precompiled(try PrecompiledCharsMap(file.precompiledCharsMap))) } catch {
                throw .malformed(file: url.path, reason: "\(error)")
            }
        }
        let eos = file.pieces.firstIndex { $0.text == "</s>" }
        self.init(model: UnigramModel(vocabulary: vocabulary, unknownID: unknownID, byteFallback: file.byteFallback),
                  normalizers: normalizers,
                  splitters: [.whitespace, .metaspace(replacement: "▁", prepend: .always, split: true)],
                  specialTokens: specials, prefixIDs: [], suffixIDs: eos.map { [$0] } ?? [],
                  padID: file.pieces.firstIndex { $0.text == "<pad>" } ?? 0, maximumLength: maximumLength)
    }

    /// The bytes of `url`, refused past `maximumFileBytes`.
    static func contents(of url: URL) throws(TokenizerError) -> [UInt8] {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue
        guard let size else { throw .malformed(file: url.path, reason: "cannot be read") }
        guard size <= maximumFileBytes else {
            throw .malformed(file: url.path, reason: "\(size) bytes, more than the \(maximumFileBytes >> 20) MB a tokenizer may have")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .malformed(file: url.path, reason: "cannot be read")
        }
        return [UInt8](data)
    }

    private static func tokenizerConfig(_ url: URL) -> [String: Any] {
        guard let bytes = try? contents(of: url),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return [:] }
        return object
    }
}
