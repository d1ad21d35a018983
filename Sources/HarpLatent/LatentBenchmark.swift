import Foundation
import HarpTensor

/// `harp bench latents`, Harp's side: encode and one-step decode of a sine sweep with a
/// music2latent of the published size (random weights unless a folder is given), one warm-up
/// then the median of `repeats` runs, the whole signal at once (as the package does up to 60 s).
public enum LatentBenchmark {
    public struct Result: Codable, Sendable {
        public let durationSeconds: Double
        public let loadSeconds: Double
        public let encodeSeconds: Double
        public let decodeSeconds: Double
        public let latentShape: [Int]
        public let parameterCount: Int
        public let repeats: Int

        enum CodingKeys: String, CodingKey {
            case durationSeconds = "duration_seconds", loadSeconds = "load_seconds"
            case encodeSeconds = "encode_seconds", decodeSeconds = "decode_seconds"
            case latentShape = "latent_shape", parameterCount = "parameters", repeats
        }
    }

    /// A mono logarithmic sweep 50 Hz → 8 kHz at amplitude 0.5 (the oracles' signal), `[1, n]`.
    public static func signal(seconds: Double, sampleRate: Int = 44100) -> Tensor {
        let n = Int(seconds * Double(sampleRate))
        let k = Foundation.log(8000.0 / 50)
        return Tensor(shape: [1, n]) { values in
            for i in 0..<n {
                let t = Double(i) / Double(sampleRate)
                values[i] = Float(0.5 * sin(2 * Double.pi * 50 * seconds / k * (Foundation.exp(t / seconds * k) - 1)))
            }
        }
    }

    public static func run(seconds: Double, repeats: Int, folder: URL?) throws -> Result {
        let loadStart = Date()
        let model = try folder.map { try ConsistencyAutoencoder(folder: $0) }
            ?? ConsistencyAutoencoder(configuration: LatentConfiguration())
        let loadSeconds = Date().timeIntervalSince(loadStart)
        let audio = signal(seconds: seconds, sampleRate: model.sampleRate)
        var latents = try model.encode(audio)
        let encodeSeconds = try median(repeats) { latents = try model.encode(audio) }
        var generator = RandomGenerator(seed: 0)
        let decodeSeconds = try median(repeats) { _ = try model.decode(latents, generator: &generator) }
        let parameters = model.network.parameters().reduce(0) { $0 + $1.count }
        return Result(durationSeconds: seconds, loadSeconds: loadSeconds, encodeSeconds: encodeSeconds,
                      decodeSeconds: decodeSeconds, latentShape: latents.shape, parameterCount: parameters,
                      repeats: repeats)
    }

    /// One warm-up, then the median of `repeats` timed runs.
    static func median(_ repeats: Int, _ work: () throws -> Void) throws -> Double {
        try work()
        var times: [Double] = []
        for _ in 0..<repeats {
            let start = Date()
            try work()
            times.append(Date().timeIntervalSince(start))
        }
        return times.sorted()[times.count / 2]
    }
}
