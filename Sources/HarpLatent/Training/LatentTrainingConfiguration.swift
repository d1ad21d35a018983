import Foundation

/// Everything that shapes a consistency-training run of a music2latent autoencoder: the
/// architecture (a `LatentConfiguration`, so the result exports as a model folder `harp latents
/// --model` loads), the crops, the optimiser and the consistency-training schedule. Saved in every
/// checkpoint; `--resume` with other settings is refused, naming them.
///
/// ref: Pasini et al., "Music2Latent", arXiv 2408.06500, §3–4 (consistency training with the
/// improved techniques of Song & Dhariwal, "Improved Techniques for Training Consistency Models").
public struct LatentTrainingConfiguration: Codable, Equatable, Sendable {
    public var model: LatentConfiguration
    /// Crops per step (per process under MPI); each channel of a crop is one batch item.
    public var batchSize = 4
    /// STFT frames per crop (the reference's `data_length`, 64); a multiple of the time downscaling.
    public var frames = 64
    public var totalSteps = 10_000
    public var seed: UInt64 = 0
    /// Adam's step size, decayed on a cosine to `minimumLearningRate` over `totalSteps` after a
    /// linear warm-up (the paper: RAdam at 1e-4 with cosine decay; HarpOptim has Adam, and RAdam's
    /// rectification is close to a warm-up).
    public var learningRate = 1e-4
    public var minimumLearningRate = 1e-6
    public var warmupSteps = 200
    /// Gradient norm clip (none when ≤ 0; the reference does not clip).
    public var gradientClip = 0.0
    /// Decay of the weight average that is evaluated and exported.
    public var averageDecay = 0.999
    /// The discretisation step in continuous time decays over training,
    /// `Δt(k) = Δt₀^((k/K)·(e − 1) + 1)`: from Δt₀ = 0.1 to Δt₀^e = 0.001 (the paper's eq. 13).
    public var initialTimeStep = 0.1
    public var timeStepExponent = 3.0
    /// iCT's pseudo-Huber constant `c = 0.00054·√d` (d: values per item).
    public var huberScale = 0.00054

    enum CodingKeys: String, CodingKey {
        case model, frames, seed
        case batchSize = "batch_size", totalSteps = "total_steps", learningRate = "learning_rate"
        case minimumLearningRate = "minimum_learning_rate", warmupSteps = "warmup_steps"
        case gradientClip = "gradient_clip", averageDecay = "average_decay"
        case initialTimeStep = "initial_time_step", timeStepExponent = "time_step_exponent"
        case huberScale = "huber_scale"
    }

    public init(model: LatentConfiguration) { self.model = model }

    /// Reads a `--config` file: any subset of the keys above (`model` holds `config.json` keys),
    /// the rest from `base`.
    public init(contentsOf url: URL, base: LatentTrainingConfiguration) throws {
        let data = try Data(contentsOf: url)
        let baseJSON = try JSONSerialization.jsonObject(with: JSONEncoder().encode(base)) as? [String: Any] ?? [:]
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw LatentError.unsupportedConfiguration("\(url.lastPathComponent) is not a JSON object")
        }
        let known = Set(["model", "frames", "seed", "batch_size", "total_steps", "learning_rate", "minimum_learning_rate",
                         "warmup_steps", "gradient_clip", "average_decay", "initial_time_step", "time_step_exponent",
                         "huber_scale"])
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw LatentError.unsupportedConfiguration("\(url.lastPathComponent): unknown key \(unknown)")
        }
        var merged = baseJSON.merging(object) { _, new in new }
        if let model = object["model"] as? [String: Any], let baseModel = baseJSON["model"] as? [String: Any] {
            merged["model"] = baseModel.merging(model) { _, new in new }
        }
        self = try JSONDecoder().decode(Self.self, from: JSONSerialization.data(withJSONObject: merged))
    }

    /// The default model trained here: music2latent's architecture at a quarter of the cost per
    /// second of audio — 22.05 kHz, hop 256 (512 bins), so the latents keep the published rate
    /// (~10.8 frames/s × 64 channels) — with 16 base channels, one block per level and a
    /// 128-wide bottleneck of two blocks.
    public static func small() -> LatentTrainingConfiguration {
        var model = LatentConfiguration()
        model.sampleRate = 22050
        model.hop = 256
        model.baseChannels = 16
        model.layers = [1, 1, 1, 1, 1]
        model.bottleneckBaseChannels = 128
        model.bottleneckLayerCount = 2
        model.conditionChannels = 64
        return LatentTrainingConfiguration(model: model)
    }

    /// Samples per crop: `frames` STFT frames without centring.
    public var cropSampleCount: Int { (frames + 3) * model.hop }

    /// The problems that make this configuration unusable, or `nil`.
    func validationFailure() -> String? {
        if let failure = model.validationFailure() { return failure }
        if frames < model.downscalingFactor || frames % model.downscalingFactor != 0 {
            return "frames must be a positive multiple of \(model.downscalingFactor) (the time downscaling)"
        }
        if batchSize < 1 || totalSteps < 1 || warmupSteps < 0 { return "batch_size and total_steps must be positive" }
        if !(learningRate > 0) || minimumLearningRate < 0 || !(0...1).contains(averageDecay) {
            return "learning_rate must be positive and average_decay in [0, 1]"
        }
        if !(initialTimeStep > 0 && initialTimeStep < 1) || !(timeStepExponent >= 1) || !(huberScale > 0) {
            return "initial_time_step must be in (0, 1), time_step_exponent ≥ 1 and huber_scale positive"
        }
        return nil
    }
}
