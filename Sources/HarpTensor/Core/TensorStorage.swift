#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reference-counted, 64-byte aligned block of `Float32` values: the memory behind one or
/// more tensors. Reshapes share a storage; every other op allocates a new one.
public final class TensorStorage: @unchecked Sendable {
    /// The number of `Float` values the block holds.
    public let count: Int
    /// The first value. Valid for the storage's lifetime.
    public let baseAddress: UnsafeMutablePointer<Float>

    /// Allocates `count` uninitialised values, aligned for AVX-512 loads.
    public init(uninitializedCount count: Int) {
        precondition(count >= 0, "negative storage size")
        self.count = count
        var raw: UnsafeMutableRawPointer?
        // At least one value, so the pointer is never null for empty tensors.
        let bytes = Swift.max(count, 1) * MemoryLayout<Float>.stride
        guard posix_memalign(&raw, 64, bytes) == 0, let raw else {
            fatalError("out of memory allocating \(bytes) bytes")
        }
        baseAddress = raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
    }

    /// Allocates `count` values set to `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        baseAddress.initialize(repeating: value, count: count)
    }

    deinit { free(baseAddress) }
}
