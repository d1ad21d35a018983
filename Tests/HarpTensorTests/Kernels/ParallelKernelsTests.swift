import Testing
@testable import HarpTensor

/// `Parallel` (named so `--filter Kernels` selects it with the other kernel suites).
struct ParallelKernelsTests {
    @Test(arguments: [(10, 3), (7, 2), (2, 5), (100, 1), (1, 4)])
    func chunkRangesCoverEveryIndexOnceInOrder(count: Int, chunkCount: Int) {
        let ranges = (0..<chunkCount).map { Parallel.chunkRange($0, of: chunkCount, count: count) }
        #expect(ranges.flatMap { Array($0) } == Array(0..<count))
        #expect(ranges.map(\.count).max()! - ranges.map(\.count).min()! <= 1)
    }

    @Test func forEachChunkVisitsEveryIndexExactlyOnce() {
        let count = 100_000
        let visits = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
        visits.initialize(repeating: 0)
        defer { visits.deallocate() }
        Parallel.forEachChunk(count: count, minimumChunk: 10) { range in
            for index in range { visits[index] += 1 }
        }
        #expect(visits.allSatisfy { $0 == 1 })
    }

    @Test func forEachChunkRunsSmallWorkInlineAsOneRange() {
        var ranges: [Range<Int>] = []
        Parallel.forEachChunk(count: 5, minimumChunk: 100) { ranges.append($0) }
        #expect(ranges == [0..<5])
    }

    @Test func forEachChunkIgnoresEmptyWork() {
        var called = false
        Parallel.forEachChunk(count: 0) { _ in called = true }
        #expect(!called)
    }
}
