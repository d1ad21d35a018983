/// Everything that decides a generator training run (saved in its checkpoints; resuming with
/// other values is refused, naming them).
public struct GeneratorTrainingConfiguration: Codable, Sendable, Equatable {
    public var model = GeneratorModelConfiguration()
    /// The codec bandwidth (kbit/s) of the token cache: 3 = 4 codebooks of harp-codec-24k.
    public var bandwidth = 3.0
    public var totalSteps = 20_000
    public var batchSize = 8
    /// Crop length in code frames (75 per second for harp-codec-24k).
    public var cropFrames = 300
    public var learningRate = 5e-4
    public var warmupSteps = 200
    public var weightDecay = 0.01
    public var gradientClip = 1.0
    /// Probability that a training item's text is dropped (zero conditioning, mask 0): what
    /// classifier-free guidance's unconditional half is at generation.
    public var conditionDropout = 0.2
    /// Share of batch items drawn from music files (the rest from speech), each file then chosen
    /// in proportion to its length.
    public var musicFraction = 0.75
    public var seed: UInt64 = 0

    public init() {}

    /// A size or rate that cannot train, as one line.
    public func problem() -> String? {
        if let problem = model.problem() { return problem }
        if totalSteps < 1 || batchSize < 1 { return "steps and batch size must be at least 1" }
        if cropFrames < model.codebookCount { return "crops of \(cropFrames) frames are shorter than the \(model.codebookCount) codebooks' delay" }
        if cropFrames + model.codebookCount > model.maximumPositionCount { return "crops of \(cropFrames) frames exceed the model's \(model.maximumPositionCount) positions" }
        if !(0...1).contains(conditionDropout) || !(0...1).contains(musicFraction) { return "probabilities must lie in [0, 1]" }
        if !(learningRate > 0) { return "the learning rate must be above 0" }
        return nil
    }
}
