import Testing
@testable import HarpText

/// The Viterbi segmentation on hand-made vocabularies, worked out by hand.
struct UnigramModelTests {
    let vocabulary: [(piece: String, score: Double)] = [
        ("<unk>", 0), ("▁", -2), ("▁a", -1), ("b", -3), ("ab", -2.5), ("▁ab", -4.5), ("c", -3),
        ("<0xC3>", -5), ("<0xA9>", -5),
    ]

    @Test func bestPathBeatsGreedyLongest() {
        let model = UnigramModel(vocabulary: vocabulary, unknownID: 0, byteFallback: false)
        // ▁ab alone scores −4.5; ▁a + b scores −4; ▁ + ab scores −4.5.
        #expect(model.encode("▁ab") == [2, 3])
    }

    @Test func unknownCharactersFuse() {
        let model = UnigramModel(vocabulary: vocabulary, unknownID: 0, byteFallback: false)
        #expect(model.encode("▁axyb") == [2, 0, 3])
        #expect(model.encode("éé") == [0])
    }

    @Test func byteFallbackSpellsUnknownCharacters() {
        let model = UnigramModel(vocabulary: vocabulary, unknownID: 0, byteFallback: true)
        #expect(model.encode("cé") == [6, 7, 8])
        // A byte without a piece keeps the unknown piece.
        #expect(model.encode("cx") == [6, 0])
    }
}
