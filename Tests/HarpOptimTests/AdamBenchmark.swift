import Dispatch
import Foundation
import HarpOptim
import HarpTensor
import Testing

/// Not a test: a measurement, skipped unless HARP_BENCHMARK is set. Run in release:
///
///     HARP_BENCHMARK=1 swift test -c release --filter adamStepBenchmark
///     /work/venv/bin/python tools/make_io_optim_fixtures.py bench-adam
///
/// Prints JSON with the median time of one Adam step over 10 tensors of 1M parameters.
@Suite struct AdamBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["HARP_BENCHMARK"] != nil))
    func adamStepBenchmark() {
        var generator = RandomGenerator(seed: 1)
        let parameters = (0..<10).map { _ in Tensor.normal([1_000_000], generator: &generator, requiresGradient: true) }
        for parameter in parameters { parameter.grad = Tensor.normal([1_000_000], generator: &generator) }
        let optimizer = Adam(parameters: parameters, learningRate: 1e-3)
        for _ in 0..<5 { optimizer.step() }
        var times: [Double] = []
        for _ in 0..<30 {
            let start = DispatchTime.now().uptimeNanoseconds
            optimizer.step()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        print("{\"benchmark\": \"Harp Adam step, 10 x 1M float32\", \"threads\": \(Parallel.threadCount), \"median_ms\": \(times[times.count / 2]), \"min_ms\": \(times[0])}")
    }
}
