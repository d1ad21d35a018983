import Foundation
import HarpTensor

/// `harp bench latent-train`, Harp's side: consistency-training steps of the default model (or
/// `configuration`) on one fixed batch of a sine sweep; the weights and the batch are written to
/// `folder` / `batchFile` so the PyTorch re-creation (`tools/latent/bench_latent_train.py`)
/// times the same step on the same data.
public enum LatentTrainingBenchmark {
    public struct Result: Codable, Sendable {
        public let stepSeconds: Double
        public let firstStepSeconds: Double
        public let batchShape: [Int]
        public let parameterCount: Int
        public let steps: Int

        enum CodingKeys: String, CodingKey {
            case stepSeconds = "step_seconds", firstStepSeconds = "first_step_seconds"
            case batchShape = "batch_shape", parameterCount = "parameters", steps
        }
    }

    public static func run(configuration: LatentTrainingConfiguration = .small(), folder: URL, batchFile: URL,
                           steps: Int) throws -> Result {
        let trainer = try LatentTrainer(configuration: configuration)
        try trainer.autoencoder.export(to: folder)
        let crop = configuration.cropSampleCount
        let sweep = LatentBenchmark.signal(seconds: Double(crop * configuration.batchSize) / Double(configuration.model.sampleRate),
                                           sampleRate: configuration.model.sampleRate)
        let batch = sweep.sliced(alongAxis: 1, end: crop * configuration.batchSize).reshaped([configuration.batchSize, 1, crop])
        try NPY.write(batch.reshaped([configuration.batchSize, crop]), to: batchFile)
        let start = Date()
        _ = trainer.step(0, batch: batch)
        let first = Date().timeIntervalSince(start)
        var times: [Double] = []
        for step in 1...steps {
            let start = Date()
            _ = trainer.step(step, batch: batch)
            times.append(Date().timeIntervalSince(start))
        }
        return Result(stepSeconds: times.sorted()[times.count / 2], firstStepSeconds: first, batchShape: batch.shape,
                      parameterCount: trainer.network.parameters().reduce(0) { $0 + $1.count }, steps: steps)
    }
}
