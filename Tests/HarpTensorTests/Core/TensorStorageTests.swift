#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import HarpTensor

/// The storage recycler: large freed blocks come back for the same size, small ones and
/// blocks beyond the capacity are freed, and reuse leaves values to the writer.
struct TensorStorageTests {
    @Test func freedLargeBlockIsReusedForTheSameSize() {
        // A size no other test uses, so concurrent tests cannot take the block first.
        let count = TensorStorage.Recycler.shared.minimumCount + 12_345
        let address = TensorStorage(uninitializedCount: count).baseAddress   // freed at once
        let again = TensorStorage(uninitializedCount: count)
        #expect(again.baseAddress == address)
        #expect(Int(bitPattern: again.baseAddress) % 64 == 0)
    }

    @Test func smallBlocksAreNotCached() {
        let recycler = TensorStorage.Recycler()
        let block = TensorStorage.allocate(count: 16)
        #expect(!recycler.keep(block, count: 16))
        free(block)
        #expect(recycler.take(count: 16) == nil)
    }

    @Test func capacityBoundsWhatIsHeld() {
        let recycler = TensorStorage.Recycler()
        let count = recycler.minimumCount
        let bytes = count * MemoryLayout<Float>.stride
        recycler.capacityBytes = bytes
        let first = TensorStorage.allocate(count: count), second = TensorStorage.allocate(count: count)
        #expect(recycler.keep(first, count: count))
        #expect(!recycler.keep(second, count: count))
        free(second)
        #expect(recycler.cachedBytes == bytes)
        #expect(recycler.take(count: count + 1) == nil)
        #expect(recycler.take(count: count) == first)
        #expect(recycler.cachedBytes == 0)
        #expect(recycler.keep(first, count: count))
        recycler.capacityBytes = 0
        #expect(recycler.cachedBytes == 0)
    }

    @Test func removeAllFreesEveryBlockAndKeepsTheCapacity() {
        let recycler = TensorStorage.Recycler()
        let count = recycler.minimumCount
        recycler.capacityBytes = 3 * count * MemoryLayout<Float>.stride
        #expect(recycler.keep(TensorStorage.allocate(count: count), count: count))
        #expect(recycler.keep(TensorStorage.allocate(count: count + 1), count: count + 1))
        recycler.removeAll()
        #expect(recycler.cachedBytes == 0)
        #expect(recycler.take(count: count) == nil)
        let block = TensorStorage.allocate(count: count), other = TensorStorage.allocate(count: count)
        #expect(recycler.keep(block, count: count) && recycler.keep(other, count: count))
        recycler.removeAll()
    }

    @Test func filledStorageHasItsValueAfterReuse() {
        let count = TensorStorage.Recycler.shared.minimumCount + 54_321
        _ = TensorStorage(count: count, repeating: 7)   // freed at once, into the cache
        let again = TensorStorage(count: count, repeating: 3)
        #expect(again.baseAddress[0] == 3 && again.baseAddress[count - 1] == 3)
    }
}
