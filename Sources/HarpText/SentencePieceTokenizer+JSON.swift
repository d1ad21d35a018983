import Foundation

extension SentencePieceTokenizer {
    /// A tokenizer from a `tokenizers` `tokenizer.json` with a Unigram model: the normalisers
    /// (Precompiled, Replace, NFKC, Sequence), pre-tokenisers (WhitespaceSplit, Metaspace,
    /// Sequence), the single-text template and the added tokens. Anything else is refused by name.
    ///
    /// ref: huggingface/tokenizers `tokenizers/src/tokenizer/serialization.rs` (the layout).
    public init(tokenizerJSON url: URL, maximumLength: Int = defaultMaximumLength) throws(TokenizerError) {
        let file = url.path
        let root: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: Data(Self.contents(of: url))) as? [String: Any] else {
                throw TokenizerError.malformed(file: file, reason: "not a JSON object")
            }
            root = object
        } catch let error as TokenizerError {
            throw error
        } catch {
            throw .malformed(file: file, reason: "not JSON")
        }
        let reader = JSONTokenizerReader(file: file)
        let model = try reader.model(root["model"])
        let specials = try reader.addedTokens(root["added_tokens"])
        let (prefix, suffix) = try reader.template(root["post_processor"])
        let pad = specials.first { $0.text == "<pad>" }?.id ?? model.id(of: "<pad>") ?? 0
        self.init(model: model, normalizers: try reader.normalizers(root["normalizer"]),
                  splitters: try reader.splitters(root["pre_tokenizer"]), specialTokens: specials,
                  prefixIDs: prefix, suffixIDs: suffix, padID: pad, maximumLength: maximumLength)
    }
}

/// Reads the parts of a `tokenizer.json`; each failure names the file and the part.
struct JSONTokenizerReader {
    let file: String

    func malformed(_ reason: String) -> TokenizerError { .malformed(file: file, reason: reason) }

    func model(_ value: Any?) throws(TokenizerError) -> UnigramModel {
        guard let model = value as? [String: Any], let type = model["type"] as? String else { throw malformed("no model") }
        guard type == "Unigram" else { throw .unsupported(file: file, what: "\(type) model; only Unigram is read") }
        guard let entries = model["vocab"] as? [[Any]], !entries.isEmpty else { throw malformed("the model has no vocab") }
        var vocabulary: [(piece: String, score: Double)] = []
        vocabulary.reserveCapacity(entries.count)
        for entry in entries {
            guard entry.count == 2, let piece = entry[0] as? String, let score = (entry[1] as? NSNumber)?.doubleValue,
                  score.isFinite else { throw malformed("vocab entry \(vocabulary.count) is not [piece, score]") }
            vocabulary.append((piece, score))
        }
        guard let unknown = (model["unk_id"] as? NSNumber)?.intValue, vocabulary.indices.contains(unknown) else {
            throw malformed("the model's unk_id is missing or outside the vocab")
        }
        return UnigramModel(vocabulary: vocabulary, unknownID: unknown, byteFallback: model["byte_fallback"] as? Bool ?? false)
    }

    func addedTokens(_ value: Any?) throws(TokenizerError) -> [(text: String, id: Int)] {
        guard let tokens = value as? [[String: Any]] else { return [] }
        return try tokens.map { token throws(TokenizerError) in
            guard let text = token["content"] as? String, let id = (token["id"] as? NSNumber)?.intValue else {
                throw malformed("an added token lacks content or id")
            }
            return (text, id)
        }
    }

    func normalizers(_ value: Any?) throws(TokenizerError) -> [TextNormalizer] {
        guard let step = value as? [String: Any] else { return [] }
        switch step["type"] as? String {
        case "Sequence":
            guard let steps = step["normalizers"] as? [Any] else { throw malformed("a Sequence normalizer without steps") }
            var result: [TextNormalizer] = []
            for step in steps { result += try normalizers(step) }
            return result
        case "Precompiled":
            guard let encoded = step["precompiled_charsmap"] as? String else { return [] }
            guard let bytes = Data(base64Encoded: encoded) else { throw malformed("precompiled_charsmap is not base64") }
            do { return [.precompiled(try PrecompiledCharsMap([UInt8](bytes)))] } catch {
                throw malformed("precompiled_charsmap: \(error)")
            }
        case "Replace":
            let pattern = step["pattern"] as? [String: Any]
            guard let content = step["content"] as? String else { throw malformed("a Replace normalizer without content") }
            if let literal = pattern?["String"] as? String { return [.replaceLiteral(pattern: literal, content: content)] }
            if let regex = pattern?["Regex"] as? String, (try? NSRegularExpression(pattern: regex)) != nil {
                return [.replaceRegex(pattern: regex, content: content)]
            }
            throw malformed("a Replace normalizer's pattern")
        case "NFKC": return [.nfkc]
        case let type: throw .unsupported(file: file, what: "normalizer \(type ?? "without a type")")
        }
    }

    func splitters(_ value: Any?) throws(TokenizerError) -> [WordSplitter] {
        guard let step = value as? [String: Any] else { return [] }
        switch step["type"] as? String {
        case "Sequence":
            guard let steps = step["pretokenizers"] as? [Any] else { throw malformed("a Sequence pre-tokenizer without steps") }
            var result: [WordSplitter] = []
            for step in steps { result += try splitters(step) }
            return result
        case "WhitespaceSplit": return [.whitespace]
        case "Metaspace":
            let replacement = (step["replacement"] as? String)?.unicodeScalars
            guard let replacement, replacement.count == 1, let marker = replacement.first else {
                throw malformed("Metaspace's replacement is not one character")
            }
            // Older files say add_prefix_space instead of prepend_scheme.
            let scheme = (step["prepend_scheme"] as? String).flatMap(WordSplitter.PrependScheme.init(rawValue:))
                ?? ((step["add_prefix_space"] as? Bool ?? true) ? .always : .never)
            return [.metaspace(replacement: marker, prepend: scheme, split: step["split"] as? Bool ?? true)]
        case let type: throw .unsupported(file: file, what: "pre-tokenizer \(type ?? "without a type")")
        }
    }

    /// The ids the single-text template puts before and after the text.
    func template(_ value: Any?) throws(TokenizerError) -> (prefix: [Int], suffix: [Int]) {
        guard let processor = value as? [String: Any] else { return ([], []) }
        guard processor["type"] as? String == "TemplateProcessing", let single = processor["single"] as? [[String: Any]] else {
            throw .unsupported(file: file, what: "post-processor \(processor["type"] as? String ?? "without a type")")
        }
        let specials = processor["special_tokens"] as? [String: [String: Any]] ?? [:]
        var prefix: [Int] = [], suffix: [Int] = [], seenText = false
        for item in single {
            if item["Sequence"] != nil { seenText = true; continue }
            guard let name = (item["SpecialToken"] as? [String: Any])?["id"] as? String,
                  let ids = (specials[name]?["ids"] as? [NSNumber])?.map(\.intValue) else {
                throw malformed("the post-processor's template names an unknown special token")
            }
            if seenText { suffix += ids } else { prefix += ids }
        }
        return (prefix, suffix)
    }
}
