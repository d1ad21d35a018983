import Testing
@testable import HarpTensor

/// Integer arrays: row-major indexing, reshaping and range.
struct IntTensorTests {
    @Test func subscriptIsRowMajor() {
        var codes = IntTensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        #expect(codes[1, 0] == 3)
        #expect(codes[0, 2] == 2)
        codes[1, 2] = 42
        #expect(codes.scalars == [0, 1, 2, 3, 4, 42])
    }

    @Test func reshapeKeepsElementsAndRangeSpansThem() {
        let codes = IntTensor(shape: [6], scalars: [5, -1, 7, 0, 3, 2]).reshaped([3, 2])
        #expect(codes.shape == [3, 2])
        #expect(codes[2, 1] == 2)
        #expect(codes.range == -1...7)
        #expect(IntTensor(shape: [0], scalars: []).range == nil)
    }
}
