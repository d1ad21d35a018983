import HarpTensor

/// `harp bench engine`: the engine's primitives at the shapes the audio models use, timed with
/// `BenchmarkTimer`; matmul and FFT also against raw OpenBLAS / FFTW through `KernelBenchmarks`.
/// The same cases, same shapes and same protocol are in `tools/bench_engine.py` for PyTorch.
public enum EngineBenchmark {
    /// Every case, one family per file under `Cases/`.
    public static var allCases: [EngineBenchmarkCase] {
        MatrixMultiplicationCases.all + ConvolutionCases.all + ElementwiseCases.all
            + NormalizationCases.all + FFTCases.all + STFTCases.all + OptimizerCases.all + OverheadCases.all
    }

    public static let timingProtocol = "one warm-up run, then the median of n timed runs; "
        + "n = ceil(0.75 s / first timed run) clamped to 3…200 unless --repeats is given; "
        + "seconds per operation"

    /// Runs the cases whose name contains `filter` (all when `nil`) with `Parallel.threadCount`
    /// threads, calling `progress` after each case.
    public static func run(matching filter: String? = nil, timer: BenchmarkTimer = BenchmarkTimer(),
                           progress: (EngineBenchmarkResult) -> Void = { _ in }) -> EngineBenchmarkReport {
        Parallel.configureBLASOnce()
        var results: [String: EngineBenchmarkResult] = [:]
        let selected = allCases.filter { filter.map($0.name.contains) ?? true }
        // Cases whose memory is measured run first, before the allocator caches pages from others.
        let ordered = selected.filter(\.measuresPeakMemory) + selected.filter { !$0.measuresPeakMemory }
        for benchmarkCase in ordered {
            var result = measure(benchmarkCase, timer: timer)
            RawLibraryReferences.attach(to: &result, repeats: timer.repeats ?? 5)
            results[result.name] = result
            progress(result)
            // The next case starts as in a fresh process: a full storage cache holding this
            // case's blocks would make its own tensors fault in fresh pages on every run.
            TensorStorage.Recycler.shared.removeAll()
        }
        return EngineBenchmarkReport(machine: .current, threads: Parallel.threadCount,
                                     timingProtocol: timingProtocol, cases: results)
    }

    static func measure(_ benchmarkCase: EngineBenchmarkCase, timer: BenchmarkTimer) -> EngineBenchmarkResult {
        // Peak memory covers preparing the inputs and the first run, before the allocator has
        // pages cached from earlier runs of the same work.
        var work: (() -> Void)?
        let memory = benchmarkCase.measuresPeakMemory ? PeakMemory.measure {
            work = benchmarkCase.prepare()
            work!()
        } : nil
        let (seconds, repeats) = timer.median(work ?? benchmarkCase.prepare())
        var result = EngineBenchmarkResult(
            name: benchmarkCase.name, family: benchmarkCase.family, shapes: benchmarkCase.shapes,
            harpSeconds: seconds / Double(benchmarkCase.operationsPerRun), repeats: repeats)
        result.harpPeakMemory = memory
        return result
    }
}
