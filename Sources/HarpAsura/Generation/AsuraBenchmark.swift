import Foundation
import HarpTensor

/// `harp bench asura`: how fast the streaming generator makes sound, for a configuration with
/// random weights (speed does not depend on the values), on 1 and 2 threads.
///
/// The stream starts with a full predictor window (`length_tokens − 1` random tokens, via
/// `primeContext`), so every block costs what it costs in steady state; the first `warmupBlocks`
/// blocks are not timed. Figures per thread count: the real-time factor (compute seconds per
/// second of audio; below 0.1 is ≥ 10× real time), the median and worst block, and the
/// control-to-sound latency inside the generator: a knob change lands at the next block, whose
/// samples are ready one block's compute later, so at worst one block period plus the worst
/// block's compute.
public enum AsuraBenchmark {
    public struct Run: Codable, Sendable {
        public var threads: Int
        public var realTimeFactor: Double
        public var timesRealTime: Double
        public var medianBlockMilliseconds: Double
        public var worstBlockMilliseconds: Double
        public var controlLatencyMilliseconds: Double

        enum CodingKeys: String, CodingKey {
            case threads
            case realTimeFactor = "real_time_factor"
            case timesRealTime = "times_real_time"
            case medianBlockMilliseconds = "median_block_ms"
            case worstBlockMilliseconds = "worst_block_ms"
            case controlLatencyMilliseconds = "control_latency_ms"
        }
    }

    public struct Result: Codable, Sendable {
        public var name: String
        public var parameterCount: Int
        public var steps: Int
        public var audioSeconds: Double
        public var blockMilliseconds: Double
        public var runs: [Run]

        enum CodingKeys: String, CodingKey {
            case name, steps, runs
            case parameterCount = "parameters"
            case audioSeconds = "audio_seconds"
            case blockMilliseconds = "block_ms"
        }
    }

    /// Times `seconds` of generated audio for `config` (random weights, seed 0) on each of `threads`.
    public static func run(name: String, config: AsuraModelConfiguration, seconds: Double, steps: Int = 1,
                           threads: [Int], warmupBlocks: Int = 4) -> Result {
        var generator = RandomGenerator(seed: 0)
        let model = AsuraModel(config, generator: &generator)
        let hop = config.frameHop
        let blocks = max(1, Int(seconds * Double(AsuraGenerator.sampleRate) / Double(hop)))
        let blockMilliseconds = 1000 * Double(hop) / Double(AsuraGenerator.sampleRate)
        let latent = Tensor.normal([config.tokenWidth], generator: &generator).scalars
        let primed = Tensor.normal([config.lengthTokens - 1, config.tokenWidth], generator: &generator)
        let previousThreads = Parallel.threadCount
        defer { Parallel.threadCount = previousThreads }
        let runs = threads.map { count -> Run in
            Parallel.threadCount = count
            let stream = AsuraGenerator(model: model, options: AsuraSamplingOptions(steps: steps, contextNoise: config.sampleContextNoise),
                                        draws: RandomDraws(generator: RandomGenerator(seed: 1), prior: config.prior))
            stream.primeContext(tokens: primed)
            for _ in 0..<warmupBlocks { _ = stream.nextBlock(latent: latent) }
            let times = (0..<blocks).map { _ in BlockClock.seconds { _ = stream.nextBlock(latent: latent) } }.sorted()
            let total = times.reduce(0, +)
            let audio = Double(blocks * hop) / Double(AsuraGenerator.sampleRate)
            return Run(threads: count, realTimeFactor: total / audio, timesRealTime: audio / total,
                       medianBlockMilliseconds: 1000 * times[times.count / 2], worstBlockMilliseconds: 1000 * times.last!,
                       controlLatencyMilliseconds: blockMilliseconds + 1000 * times.last!)
        }
        return Result(name: name, parameterCount: model.parameters().reduce(0) { $0 + $1.count }, steps: steps,
                      audioSeconds: Double(blocks * hop) / Double(AsuraGenerator.sampleRate),
                      blockMilliseconds: blockMilliseconds, runs: runs)
    }
}

enum BlockClock {
    static func seconds(_ work: () -> Void) -> Double {
        let elapsed = ContinuousClock().measure(work)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
