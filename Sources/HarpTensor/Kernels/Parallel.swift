import Dispatch

/// Splits element-wise work over the machine's cores. (Interim version; the kernels branch
/// replaces it with the tuned one of the same interface.)
public enum Parallel {
    nonisolated(unsafe) public static var threadCount = 2

    /// Calls `body` on disjoint ranges covering `0..<count`, in parallel when the work is large.
    public static func forEachChunk(count: Int, minimumChunk: Int, _ body: (Range<Int>) -> Void) {
        let chunks = Swift.min(threadCount, Swift.max(1, count / Swift.max(minimumChunk, 1)))
        guard chunks > 1 else { if count > 0 { body(0..<count) }; return }
        let size = (count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = chunk * size
            let end = Swift.min(count, start + size)
            if start < end { body(start..<end) }
        }
    }
}
