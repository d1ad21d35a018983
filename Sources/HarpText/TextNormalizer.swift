import Foundation

/// One step of a tokenizer's normaliser, applied to the text before it is split into words.
public enum TextNormalizer: Sendable {
    /// SentencePiece's compiled rules (T5: `nmt_nfkc`).
    case precompiled(PrecompiledCharsMap)
    /// Every match of a literal `pattern` replaced by `content`.
    case replaceLiteral(pattern: String, content: String)
    /// Every match of a regular expression replaced by `content` (taken literally).
    case replaceRegex(pattern: String, content: String)
    /// Unicode compatibility composition.
    case nfkc

    func normalized(_ text: String) -> String {
        switch self {
        case .precompiled(let map): return map.normalized(text)
        case let .replaceLiteral(pattern, content):
            return pattern.isEmpty ? text : text.replacingOccurrences(of: pattern, with: content)
        case let .replaceRegex(pattern, content):
            guard let expression = try? NSRegularExpression(pattern: pattern) else { return text }
            let range = NSRange(text.startIndex..., in: text)
            return expression.stringByReplacingMatches(in: text, range: range,
                                                       withTemplate: NSRegularExpression.escapedTemplate(for: content))
        case .nfkc: return text.precomposedStringWithCompatibilityMapping
        }
    }
}
