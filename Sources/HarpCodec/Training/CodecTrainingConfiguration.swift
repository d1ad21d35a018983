import HarpNN

/// Everything that shapes a codec training run: the model's architecture (an EnCodec
/// configuration, so the result exports as an EnCodec folder), the data, the optimiser and the
/// losses. Saved in every checkpoint; `--resume` with other settings is refused, naming them.
public struct CodecTrainingConfiguration: Codable, Equatable, Sendable {
    public var model: EncodecConfiguration
    /// Crops per step (per process under MPI).
    public var batchSize = 8
    /// Seconds per crop.
    public var cropSeconds = 1.0
    public var totalSteps = 10_000
    public var seed: UInt64 = 0
    /// Adam's step size for the codec and for the discriminator, with EnCodec's betas (0.5, 0.9).
    public var learningRate = 3e-4
    public var discriminatorLearningRate = 3e-4
    /// Gradient norm clip for the codec (none when ≤ 0).
    public var gradientClip = 1.0
    /// Decay of the weight average that is exported.
    public var averageDecay = 0.995
    /// The adversarial losses start at this step (reconstruction losses alone before it, which
    /// converge much faster on a CPU budget); `nil` never.
    public var adversarialFromStep: Int? = nil
    public var adversarialLoss: AdversarialLoss = .hinge
    /// Discriminator scales (STFT sizes); with `oneScalePerStep` one of them is used per step,
    /// in turn (seed 003's "one discriminator at a time"), a third of the cost.
    public var discriminatorFFTSizes = [1024, 2048, 512]
    public var discriminatorFilters = 16
    public var oneScalePerStep = true
    public var weights = LossWeights()

    /// Relative weights of the loss terms (DAC's ratios, normalised to the mel term).
    public struct LossWeights: Codable, Equatable, Sendable {
        public var mel = 1.0
        public var waveform = 1.0
        public var commitment = 0.05
        public var adversarial = 1.0 / 15
        public var featureMatching = 2.0 / 15
        public init() {}
    }

    public init(model: EncodecConfiguration) { self.model = model }

    /// A small 24 kHz mono codec at 1.5, 3 and 6 kbit/s (2, 4, 8 codebooks of 1024 at 75 Hz) that
    /// trains on two CPU cores: 16 base filters, one LSTM layer — about a quarter of EnCodec 24 kHz.
    public static func small() -> CodecTrainingConfiguration {
        var model = EncodecConfiguration()
        model.targetBandwidths = [1.5, 3.0, 6.0]
        model.numFilters = 16
        model.numLSTMLayers = 1
        return CodecTrainingConfiguration(model: model)
    }

    var cropSampleCount: Int { Int((cropSeconds * Double(model.samplingRate)).rounded()) }
}
