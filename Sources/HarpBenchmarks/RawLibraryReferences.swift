import HarpTensor

/// Raw OpenBLAS and FFTW figures for the matmul and FFT cases, from `KernelBenchmarks` (which
/// times Harp's kernel and the raw library call alternately on the same buffers).
enum RawLibraryReferences {
    /// `KernelBenchmarks` group and timing name that measure the same work as each case.
    static let sources: [String: (group: String, timing: (Int) -> String, isFFT: Bool)] = [
        "matmul 512²": ("sgemm", { _ in "sgemm 512²" }, false),
        "matmul 2048²": ("sgemm", { _ in "sgemm 2048²" }, false),
        "rfft 32×2^18": ("fft", { "rfft 32×2^18 vs FFTW \($0)t" }, true),
        "irfft 32×2^18": ("fft", { "irfft 32×2^18 vs FFTW \($0)t" }, true),
    ]

    /// Fills the raw-library fields of `result` when it has a raw counterpart. Each
    /// `KernelBenchmarks` group runs at most once per process.
    static func attach(to result: inout EngineBenchmarkResult, repeats: Int) {
        guard let source = sources[result.name] else { return }
        let timings = cache.timings(group: source.group, repeats: repeats)
        guard let timing = timings.first(where: { $0.name == source.timing(Parallel.threadCount) }) else { return }
        result.harpKernelSeconds = timing.seconds
        if source.isFFT {
            result.rawFFTWSeconds = timing.referenceSeconds
        } else {
            result.rawBLASSeconds = timing.referenceSeconds
        }
    }

    nonisolated(unsafe) private static var cache = TimingCache()

    private struct TimingCache {
        var byGroup: [String: [KernelBenchmarks.Timing]] = [:]

        mutating func timings(group: String, repeats: Int) -> [KernelBenchmarks.Timing] {
            if let timings = byGroup[group] { return timings }
            let timings = KernelBenchmarks.run(repeats: repeats, matching: group)
            byGroup[group] = timings
            return timings
        }
    }
}
