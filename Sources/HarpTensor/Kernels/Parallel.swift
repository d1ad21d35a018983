import CBLAS
import Dispatch
import Foundation

/// Splits kernel work across the machine's cores.
///
/// One process-wide setting, `threadCount`, governs both Harp's own loops and OpenBLAS, so the
/// two never oversubscribe the cores together. Work below a size threshold runs inline on the
/// caller's thread: dispatching costs microseconds, which small tensors cannot repay.
///
/// Determinism: `forEachChunk` hands each index to exactly one chunk and runs a chunk's indices in
/// ascending order. A body that writes only the outputs owned by its indices (and keeps any
/// reduction inside one index) therefore gives bit-identical results for every thread count.
/// Kernels must not reduce floats *across* chunks.
///
/// OpenBLAS is the exception this layer cannot control: its multi-threaded `sgemm` blocks the
/// inner dimension differently from its single-threaded one, so products large enough to be
/// threaded (`MatrixKernels.isSmallProduct` is false) may differ in the last bits between
/// thread counts (measured: conv1d [4, 64, 4096] k7 outputs differ by ~1 ulp between 1 and 2
/// threads). For a fixed `threadCount`, every kernel is bit-for-bit repeatable run to run.
public enum Parallel {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var storedThreadCount = defaultThreadCount
    nonisolated(unsafe) private static var blasConfigured = false

    /// Roughly the scalar operations (multiply-adds, element visits) that repay one dispatch to
    /// another thread (~10 µs); kernels derive `minimumChunk` from it.
    public static let minimumWorkPerThread = 1 << 16

    /// The number of active processors (2 on the reference machine).
    public static var defaultThreadCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Threads used by kernels, including OpenBLAS. Set it once, early, from the application.
    public static var threadCount: Int {
        get { lock.withLock { storedThreadCount } }
        set {
            let clamped = max(1, newValue)
            lock.withLock {
                storedThreadCount = clamped
                openblas_set_num_threads(Int32(clamped))
                blasConfigured = true
            }
        }
    }

    /// Makes OpenBLAS use `threadCount` threads; cheap after the first call.
    public static func configureBLASOnce() {
        lock.withLock {
            guard !blasConfigured else { return }
            openblas_set_num_threads(Int32(storedThreadCount))
            blasConfigured = true
        }
    }

    /// Calls `body` on disjoint, ascending sub-ranges covering `0..<count`.
    ///
    /// - Parameters:
    ///   - count: number of independent work items.
    ///   - minimumChunk: the fewest items worth sending to another thread; when `count` is below
    ///     twice this, everything runs inline.
    ///   - body: processes one range; ranges may run concurrently.
    public static func forEachChunk(count: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunkCount = min(threadCount, count / max(1, minimumChunk))
        guard chunkCount > 1 else {
            body(0..<count)
            return
        }
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunkIndex in
            body(chunkRange(chunkIndex, of: chunkCount, count: count))
        }
    }

    /// The `index`-th of `chunkCount` near-equal ranges over `0..<count`.
    static func chunkRange(_ index: Int, of chunkCount: Int, count: Int) -> Range<Int> {
        let base = count / chunkCount
        let remainder = count % chunkCount
        let start = index * base + min(index, remainder)
        let length = base + (index < remainder ? 1 : 0)
        return start..<(start + length)
    }
}
