import Foundation
import HarpTensor
#if canImport(Glibc)
import Glibc
#endif

/// Times the fit of seed 001's instrument the way `tools/seed001/bench.py` times the PyTorch
/// re-creation, so the two can be compared in one run: one warm-up step, `iterations` timed steps,
/// then the loss of one more forward pass.
public enum InstrumentBenchmark {
    public struct Result: Codable, Sendable {
        public var secondsPerIteration: Double
        public var iterationSeconds: [Double]
        public var warmupSeconds: Double
        public var peakRSSBytes: Int
        public var lossFirst: Float
        public var lossLastStep: Float
        public var lossAfter: Float
        /// The loss of every step, the warm-up step first.
        public var stepLosses: [Float]
        /// The seed of the attack-noise stream, for a reference that draws the same noise.
        public var noiseSeed: UInt64
        public var iterations: Int
        public var threads: Int

        enum CodingKeys: String, CodingKey {
            case secondsPerIteration = "seconds_per_iteration"
            case iterationSeconds = "iteration_seconds"
            case warmupSeconds = "warmup_seconds"
            case peakRSSBytes = "peak_rss_bytes"
            case lossFirst = "loss_first"
            case lossLastStep = "loss_last_step"
            case lossAfter = "loss_after"
            case stepLosses = "step_losses"
            case noiseSeed = "noise_seed"
            case iterations, threads
        }
    }

    /// - Parameters:
    ///   - initialState: where to write the initial parameters (seed names, safetensors) before
    ///     the first step, so the reference can start from the very same instrument.
    ///   - targetFile: where to write the target segment (`.npy`), so the reference fits the very
    ///     same samples rather than its own resampling of the clip.
    public static func run(clip: String, offsetSeconds: Double, seed: UInt64, iterations: Int,
                           configuration: InstrumentConfiguration = InstrumentConfiguration(),
                           initialState: URL? = nil, targetFile: URL? = nil) throws -> Result {
        let target = try TargetClip(path: clip, offsetSeconds: offsetSeconds, configuration: configuration)
        let model = try InstrumentModel(configuration: configuration, seed: seed)
        if let initialState { try model.save(to: initialState, metadata: [:]) }
        if let targetFile { try NPY.write(target.samples, to: targetFile) }
        let noiseSeed = model.noiseGenerator.seed
        let fitter = InstrumentFitter(model: model, target: target.samples)
        var start = Date()
        let first = fitter.step()
        let warmup = Date().timeIntervalSince(start)
        var times: [Double] = []
        var last = first
        for _ in 0..<iterations {
            start = Date()
            last = fitter.step()
            times.append(Date().timeIntervalSince(start))
        }
        let after = withoutGradients {
            let control = fitter.model.controlSignal
            return fitter.objective(reconstruction: fitter.model.render(control: control), control: control).item
        }
        return Result(secondsPerIteration: times.isEmpty ? 0 : times.reduce(0, +) / Double(times.count),
                      iterationSeconds: times, warmupSeconds: warmup, peakRSSBytes: peakResidentBytes(),
                      lossFirst: first, lossLastStep: last, lossAfter: after,
                      stepLosses: fitter.lossHistory, noiseSeed: noiseSeed, iterations: iterations,
                      threads: Parallel.threadCount)
    }

    /// The process's peak resident memory so far.
    public static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024   // kilobytes on Linux
    }
}
