import Foundation
import HarpTensor

/// `harp bench denoise`, Harp's side: DeepFilterNet3 over a synthetic noisy 48 kHz signal, timed
/// hop by hop (480 samples per call, as libDF's `df_process_frame`) and in one-second blocks.
public enum DenoiseBenchmark {
    public struct Result: Codable, Sendable {
        public let durationSeconds: Double
        public let loadSeconds: Double
        /// Streaming, one hop (10 ms) per call.
        public let hopSeconds: Double
        public let hopRealTimeFactor: Double
        /// Streaming in one-second pieces.
        public let blockSeconds: Double
        public let blockRealTimeFactor: Double
        public let delaySamples: Int
        public let threads: Int

        enum CodingKeys: String, CodingKey {
            case durationSeconds = "duration_seconds", loadSeconds = "load_seconds"
            case hopSeconds = "hop_seconds", hopRealTimeFactor = "hop_real_time_factor"
            case blockSeconds = "block_seconds", blockRealTimeFactor = "block_real_time_factor"
            case delaySamples = "delay_samples", threads
        }
    }

    /// A reproducible noisy 48 kHz signal: gliding harmonic tones switched on and off like
    /// syllables, in white noise about 5 dB below them.
    public static func signal(seconds: Double) -> [Float] {
        let count = Int(seconds * 48000)
        var state: UInt32 = 2024
        var phase = 0.0
        return (0..<count).map { n in
            let t = Double(n) / 48000
            let pitch = 140 + 40 * sin(2 * Double.pi * 0.7 * t)
            phase += 2 * Double.pi * pitch / 48000
            let gate = sin(2 * Double.pi * 2.5 * t) > -0.2 ? 1.0 : 0.0
            let voice = gate * (0.2 * sin(phase) + 0.1 * sin(2 * phase) + 0.05 * sin(3 * phase))
            state = state &* 1_664_525 &+ 1_013_904_223
            let noise = Double(Int32(bitPattern: state)) / Double(Int32.max) * 0.08
            return Float(voice + noise)
        }
    }

    /// Times both ways of streaming `samples`; returns the hop-by-hop output too (to compare with
    /// the reference).
    public static func run(samples: [Float], weights: DeepFilterNetWeights) throws -> (Result, [Float]) {
        let loadStart = Date()
        let hopModel = try DeepFilterNet3(weights: weights)
        let loadSeconds = Date().timeIntervalSince(loadStart)
        let hop = hopModel.configuration.hopSize
        var output: [Float] = []
        output.reserveCapacity(samples.count)
        let hopStart = Date()
        var start = 0
        while start + hop <= samples.count {
            output += hopModel.process(Array(samples[start..<(start + hop)])).samples
            start += hop
        }
        let hopSeconds = Date().timeIntervalSince(hopStart)
        let blockModel = try DeepFilterNet3(weights: weights)
        let blockStart = Date()
        start = 0
        while start < samples.count {
            let end = min(start + 48000, samples.count)
            _ = blockModel.process(Array(samples[start..<end]))
            start = end
        }
        let blockSeconds = Date().timeIntervalSince(blockStart)
        let duration = Double(samples.count) / 48000
        let result = Result(durationSeconds: duration, loadSeconds: loadSeconds,
                            hopSeconds: hopSeconds, hopRealTimeFactor: hopSeconds / duration,
                            blockSeconds: blockSeconds, blockRealTimeFactor: blockSeconds / duration,
                            delaySamples: hopModel.configuration.delaySamples, threads: Parallel.threadCount)
        return (result, output)
    }

    /// `10 · log10(Σ (a − b)² / Σ b²)` over the common length: how far below `b` the difference is (dB).
    public static func differenceDecibels(_ a: [Float], _ b: [Float]) -> Double {
        var error = 0.0, energy = 0.0
        for (x, y) in zip(a, b) {
            error += Double(x - y) * Double(x - y)
            energy += Double(y) * Double(y)
        }
        return 10 * log10(error / max(energy, 1e-30))
    }
}
