import Foundation
import HarpCodec
import HarpTensor

/// `harp bench codec-train`: the codec training step of `harp train codec` (the default small
/// configuration, batch 8 × 1 s at 24 kHz), timed; the initial weights (an EnCodec folder) and
/// the batch are written so the PyTorch re-creation (tools/codec/bench_codec_train.py) times the
/// same step on the same numbers.
public enum CodecTrainingBenchmark {
    public struct Result: Codable, Sendable {
        public var parameters: Int
        public var batch: Int
        public var cropSeconds: Double
        public var adversarial: Bool
        public var steps: Int
        /// Median seconds per step after one warm-up step.
        public var stepSeconds: Double
        public var peakMemory: PeakMemory

        enum CodingKeys: String, CodingKey {
            case parameters, batch, adversarial, steps
            case cropSeconds = "crop_seconds"
            case stepSeconds = "step_seconds"
            case peakMemory = "peak_memory"
        }
    }

    /// Writes the weights to `folder` and the batch to `batchFile`, then times `steps` steps.
    public static func run(folder: URL, batchFile: URL, steps: Int, adversarial: Bool) throws -> Result {
        var configuration = CodecTrainingConfiguration.small()
        configuration.adversarialFromStep = adversarial ? 0 : nil
        let trainer = try CodecTrainer(configuration: configuration)
        try trainer.model.export(to: folder)
        let batch = syntheticBatch(configuration)
        try NPY.write(batch, to: batchFile)
        var times: [Double] = []
        let memory = PeakMemory.measure {
            for step in 0...steps {
                let start = Date()
                _ = trainer.step(step, batch: batch)
                if step > 0 { times.append(Date().timeIntervalSince(start)) }
            }
        }
        times.sort()
        return Result(parameters: trainer.model.parameters().reduce(0) { $0 + $1.count }, batch: configuration.batchSize,
                      cropSeconds: configuration.cropSeconds, adversarial: adversarial, steps: steps,
                      stepSeconds: times[times.count / 2], peakMemory: memory)
    }

    /// Tones and noise at music-like levels, `[batch, 1, samples]`.
    static func syntheticBatch(_ configuration: CodecTrainingConfiguration) -> Tensor {
        let rate = Float(configuration.model.samplingRate)
        let n = Int(configuration.cropSeconds * Double(rate))
        var generator = RandomGenerator(seed: 5)
        let noise = Tensor.normal([configuration.batchSize, 1, n], standardDeviation: 0.02, generator: &generator).scalars
        var values = [Float](repeating: 0, count: configuration.batchSize * n)
        for item in 0..<configuration.batchSize {
            let frequency = 110 * Float(item + 1)
            for i in 0..<n {
                let t = Float(i) / rate
                values[item * n + i] = 0.3 * sin(2 * .pi * frequency * t) + 0.1 * sin(2 * .pi * 3.01 * frequency * t) + noise[item * n + i]
            }
        }
        return Tensor(shape: [configuration.batchSize, 1, n], values: values)
    }
}
