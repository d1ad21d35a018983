#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A reference-counted, 64-byte aligned block of `Float32` values: the memory behind one or
/// more tensors. Reshapes share a storage; every other op allocates a new one.
///
/// Large blocks are recycled through `TensorStorage.Recycler`: an eager training step allocates
/// and frees the same multi-megabyte shapes every iteration, and returning them to the operating
/// system made each reuse pay for fresh zeroed pages (page faults were ~40 % of a seed 001 step).
public final class TensorStorage: @unchecked Sendable {
    /// The number of `Float` values the block holds.
    public let count: Int
    /// The first value. Valid for the storage's lifetime.
    public let baseAddress: UnsafeMutablePointer<Float>

    /// Allocates `count` uninitialised values, aligned for AVX-512 loads.
    public init(uninitializedCount count: Int) {
        precondition(count >= 0, "negative storage size")
        self.count = count
        baseAddress = Recycler.shared.take(count: count) ?? Self.allocate(count: count)
    }

    /// Allocates `count` values set to `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        baseAddress.initialize(repeating: value, count: count)
    }

    deinit {
        if !Recycler.shared.keep(baseAddress, count: count) { free(baseAddress) }
    }

    static func allocate(count: Int) -> UnsafeMutablePointer<Float> {
        var raw: UnsafeMutableRawPointer?
        // At least one value, so the pointer is never null for empty tensors.
        let bytes = Swift.max(count, 1) * MemoryLayout<Float>.stride
        guard posix_memalign(&raw, 64, bytes) == 0, let raw else {
            fatalError("out of memory allocating \(bytes) bytes")
        }
        return raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
    }
}

extension TensorStorage {
    /// A bounded, thread-safe cache of freed large blocks, reused by exact size.
    ///
    /// Only blocks of at least `minimumCount` values are kept (small ones are cheap for malloc);
    /// at most `capacityBytes` are held in total, and a block that does not fit is freed as
    /// before. Reuse hands out uninitialised memory, exactly like a fresh allocation.
    public final class Recycler: @unchecked Sendable {
        /// The process-wide cache used by every `TensorStorage`.
        public static let shared = Recycler()

        /// 1 MiB: below this, malloc serves blocks from its own free lists without page faults.
        public let minimumCount = 1 << 18
        private let lock = NSLock()
        private var blocks: [Int: [UnsafeMutablePointer<Float>]] = [:]
        private var heldBytes = 0
        private var limitBytes = 256 << 20

        /// The most memory the cache may hold, in bytes; 0 disables it (and frees what it holds).
        public var capacityBytes: Int {
            get { lock.withLock { limitBytes } }
            set {
                let released: [UnsafeMutablePointer<Float>] = lock.withLock {
                    limitBytes = Swift.max(0, newValue)
                    return trimLocked()
                }
                released.forEach { free($0) }
            }
        }

        /// Frees every held block, keeping the capacity: for a program moving on to work of
        /// other shapes, whose blocks would otherwise find the cache full of the old ones.
        public func removeAll() {
            let released: [UnsafeMutablePointer<Float>] = lock.withLock {
                let all = blocks.values.flatMap { $0 }
                blocks = [:]
                heldBytes = 0
                return all
            }
            released.forEach { free($0) }
        }

        /// Bytes currently held for reuse.
        public var cachedBytes: Int { lock.withLock { heldBytes } }

        /// A cached block of exactly `count` values, if there is one.
        func take(count: Int) -> UnsafeMutablePointer<Float>? {
            guard count >= minimumCount else { return nil }
            return lock.withLock {
                guard let block = blocks[count]?.popLast() else { return nil }
                heldBytes -= count * MemoryLayout<Float>.stride
                return block
            }
        }

        /// Keeps `block` for reuse; false when it is too small or the cache is full (the caller frees it).
        func keep(_ block: UnsafeMutablePointer<Float>, count: Int) -> Bool {
            guard count >= minimumCount else { return false }
            let bytes = count * MemoryLayout<Float>.stride
            return lock.withLock {
                guard heldBytes + bytes <= limitBytes else { return false }
                blocks[count, default: []].append(block)
                heldBytes += bytes
                return true
            }
        }

        /// Drops blocks until the cache is within its limit; returns them for freeing outside the lock.
        private func trimLocked() -> [UnsafeMutablePointer<Float>] {
            var released: [UnsafeMutablePointer<Float>] = []
            for (count, list) in blocks where heldBytes > limitBytes {
                var list = list
                while heldBytes > limitBytes, let block = list.popLast() {
                    released.append(block)
                    heldBytes -= count * MemoryLayout<Float>.stride
                }
                blocks[count] = list
            }
            return released
        }
    }
}
