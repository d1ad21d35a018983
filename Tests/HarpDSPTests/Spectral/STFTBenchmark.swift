import Dispatch
import Foundation
import HarpDSP
import HarpTensor
import Testing

/// Not a test: a measurement, skipped unless HARP_BENCHMARK is set. Run in release, beside torch:
///
///     /work/venv/bin/python tools/make_dsp_fixtures.py bench-stft
///
/// (which runs `HARP_BENCHMARK=1 swift test -c release --filter stftBenchmark`, then torch.stft
/// with 2 threads in the same session, and prints the ratio). Prints JSON: the median time of one
/// STFT (nFFT 2048, hop 256, Hann, centred reflect padding) of 2¹⁷ samples forward plus the
/// backward pass to the signal, and the process's peak resident memory (getrusage ru_maxrss) before
/// and after (the test process itself, with the whole test bundle loaded, accounts for the former).
@Suite struct STFTBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["HARP_BENCHMARK"] != nil))
    func stftBenchmark() {
        let peakBefore = Self.peakResidentMegabytes()
        var generator = RandomGenerator(seed: 1)
        let signal = Tensor.normal([1, 1 << 17], generator: &generator, requiresGradient: true)
        let window = Windows.hann(2048)
        func step() {
            let spectrum = stft(signal, nFFT: 2048, hop: 256, window: window)
            spectrum.backward(seed: Tensor.ones(spectrum.shape))
            signal.zeroGradient()
        }
        for _ in 0..<3 { step() }
        var times: [Double] = []
        for _ in 0..<20 {
            let start = DispatchTime.now().uptimeNanoseconds
            step()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        print("{\"benchmark\": \"Harp stft 2048/256 of 2^17 samples, forward + backward\", \"threads\": \(Parallel.threadCount), "
            + "\"median_ms\": \(times[times.count / 2]), \"min_ms\": \(times[0]), "
            + "\"peak_rss_mb\": \(Self.peakResidentMegabytes()), \"peak_rss_before_mb\": \(peakBefore)}")
    }

    /// The process's peak resident set so far (getrusage; Linux reports kilobytes).
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
