/// One step of a tokenizer's pre-tokeniser: how normalised text becomes words.
///
/// Works on Unicode scalars, not grapheme clusters, as `tokenizers` works on Rust `char`s: a
/// combining mark after a space or a `▁` stays a character of its own.
public enum WordSplitter: Sendable {
    /// When `Metaspace` puts its marker in front of a word.
    public enum PrependScheme: String, Sendable { case always, first, never }

    /// Split at Unicode white space (the `White_Space` property), dropping it.
    case whitespace
    /// Spaces become `replacement` (`▁`), which is put in front of words by `prepend`; with `split`
    /// a word is cut before every marker.
    case metaspace(replacement: Unicode.Scalar, prepend: PrependScheme, split: Bool)

    /// A word and whether it begins the whole text (what `PrependScheme.first` asks).
    public typealias Word = (text: String.UnicodeScalarView, startsText: Bool)

    func split(_ words: [Word]) -> [Word] {
        switch self {
        case .whitespace:
            return words.flatMap { word in
                Self.cut(word.text, startsText: word.startsText, at: { $0.properties.isWhitespace }, keepingMarker: false)
            }
        case let .metaspace(replacement, prepend, split):
            return words.flatMap { word -> [Word] in
                var text = String.UnicodeScalarView(word.text.map { $0 == " " ? replacement : $0 })
                let wantsMarker = prepend == .always || prepend == .first && word.startsText
                if wantsMarker && text.first != replacement { text.insert(replacement, at: text.startIndex) }
                guard split else { return [(text, word.startsText)] }
                return Self.cut(text, startsText: word.startsText, at: { $0 == replacement }, keepingMarker: true)
            }
        }
    }

    /// `text` cut at every scalar `isBoundary` accepts: dropped, or kept to begin the next piece.
    private static func cut(_ text: String.UnicodeScalarView, startsText: Bool, at isBoundary: (Unicode.Scalar) -> Bool,
                            keepingMarker: Bool) -> [Word] {
        var pieces: [Word] = []
        var current = String.UnicodeScalarView()
        var currentStartsText = startsText
        for scalar in text {
            if isBoundary(scalar) {
                if !current.isEmpty { pieces.append((current, currentStartsText)) }
                // A kept marker that opens the text still begins it.
                if !(keepingMarker && current.isEmpty) { currentStartsText = false }
                current = keepingMarker ? String.UnicodeScalarView([scalar]) : String.UnicodeScalarView()
                continue
            }
            current.append(scalar)
        }
        if !current.isEmpty { pieces.append((current, currentStartsText)) }
        return pieces
    }
}
