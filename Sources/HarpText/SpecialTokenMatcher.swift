/// Cuts raw text around special tokens (`</s>`, `[CLS]`, …) before anything else touches it, as
/// `tokenizers` extracts added tokens: leftmost match first, the longest token at a position,
/// compared scalar by scalar (not by grapheme cluster, as `String` comparison would).
struct SpecialTokenMatcher {
    enum Segment: Equatable {
        case special(Int)
        /// A run of ordinary text and whether it begins the whole text.
        case text(String, startsText: Bool)
    }

    private let tokens: [(scalars: [Unicode.Scalar], id: Int)]

    init(_ tokens: [(text: String, id: Int)]) {
        self.tokens = tokens.filter { !$0.text.isEmpty }
            .sorted { $0.text.unicodeScalars.count > $1.text.unicodeScalars.count }
            .map { (Array($0.text.unicodeScalars), $0.id) }
    }

    func segments(_ text: String) -> [Segment] {
        guard !tokens.isEmpty else { return [.text(text, startsText: true)] }
        let scalars = Array(text.unicodeScalars)
        var result: [Segment] = []
        var runStart = 0
        var index = 0
        func closeRun() {
            if runStart < index {
                result.append(.text(String(String.UnicodeScalarView(scalars[runStart..<index])), startsText: runStart == 0))
            }
        }
        while index < scalars.count {
            let rest = scalars[index...]
            if let match = tokens.first(where: { rest.starts(with: $0.scalars) }) {
                closeRun()
                result.append(.special(match.id))
                index += match.scalars.count
                runStart = index
            } else {
                index += 1
            }
        }
        closeRun()
        return result
    }
}
