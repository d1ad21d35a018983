/// The sizes and settings of a seed-001 instrument (`OverfitResonanceStack` with one layer).
/// Defaults are the seed's code; coding keys are its Python names, so the configuration stored
/// in an instrument file reads like the reference.
///
/// ref: seed 001 (`resonancemodel.py` of JohnVinyard/matching-pursuit @57a2880), module constants.
public struct InstrumentConfiguration: Codable, Equatable, Sendable {
    /// Sample rate of the model's audio, Hz.
    public var sampleRate = 22_050
    /// Length of the modelled segment (2¹⁷ samples ≈ 5.9 s at 22 050 Hz).
    public var sampleCount = 1 << 17
    /// The resonance window; the control signal runs at one frame per half window.
    public var resonanceWindowSize = 256
    /// Dimensions of the control signal.
    public var controlPlaneDimension = 16
    /// Resonances (channels after routing).
    public var resonanceCount = 16
    /// Alternative resonances per resonance that deformations blend between.
    public var expressivity = 2
    /// Damped harmonic oscillators summed into each resonance.
    public var oscillatorCount = 64
    /// Frames of each learned attack envelope…
    public var attackFrameCount = 256
    /// …interpolated to this many samples.
    public var attackSampleCount = 2048
    /// Samples per deformation frame.
    public var deformationFrameSize = 128
    /// Weight of the L1 sparsity penalty on the control signal.
    public var sparsityCoefficient: Float = 0.5
    /// STFT of the loss: window and hop.
    public var lossWindowSize = 2048
    public var lossHopSize = 256
    /// Adam's learning rate.
    public var learningRate: Float = 1e-3
    /// Non-zero control values kept by `random()` performances.
    public var randomEventCount = 16

    public init() {}

    /// Control-rate step in samples (the seed's `step_size`).
    public var controlStep: Int { resonanceWindowSize / 2 }
    /// Control frames over the segment (the seed's `n_frames`).
    public var frameCount: Int { sampleCount / controlStep }
    /// Deformation frames over the segment.
    public var deformationFrameCount: Int { sampleCount / deformationFrameSize }
    /// Segment lengths are whole multiples of this: whole control frames and whole deformation frames.
    public var lengthQuantum: Int {
        func gcd(_ x: Int, _ y: Int) -> Int { y == 0 ? x : gcd(y, x % y) }
        return controlStep / gcd(controlStep, deformationFrameSize) * deformationFrameSize
    }
    /// The shortest segment this configuration can model: one attack, one loss window and 256
    /// samples, rounded up to whole frames (`lengthQuantum`).
    public var minimumSampleCount: Int {
        let shortest = Swift.max(256, attackSampleCount, lossWindowSize)
        return (shortest + lengthQuantum - 1) / lengthQuantum * lengthQuantum
    }
    /// The oscillators' time axis spans 0…10 (the seed's `torch.linspace(0, 10, n_samples)`).
    public var oscillatorTimeStep: Float { 10 / Float(sampleCount - 1) }

    enum CodingKeys: String, CodingKey {
        case sampleRate = "samplerate"
        case sampleCount = "n_samples"
        case resonanceWindowSize = "resonance_window_size"
        case controlPlaneDimension = "control_plane_dim"
        case resonanceCount = "n_resonances"
        case expressivity
        case oscillatorCount = "n_oscillators"
        case attackFrameCount = "attack_n_frames"
        case attackSampleCount = "attack_full_size"
        case deformationFrameSize = "deformation_frame_size"
        case sparsityCoefficient = "sparsity_coefficient"
        case lossWindowSize = "loss_window_size"
        case lossHopSize = "loss_hop_size"
        case learningRate = "learning_rate"
        case randomEventCount = "random_n_to_keep"
    }

    /// Checks that the sizes fit together; throws a one-line reason otherwise.
    public func validate() throws {
        func require(_ condition: Bool, _ reason: String) throws {
            if !condition { throw InstrumentError.invalidConfiguration(reason) }
        }
        try require((8_000...192_000).contains(sampleRate), "sample rate \(sampleRate) Hz is outside 8000…192000")
        try require(sampleCount >= 256 && sampleCount <= 1 << 22, "segment of \(sampleCount) samples is outside 256…4194304")
        try require(resonanceWindowSize >= 2 && resonanceWindowSize % 2 == 0, "resonance window must be even and ≥ 2")
        try require(sampleCount % controlStep == 0, "segment length must be a multiple of the control step \(controlStep)")
        try require(sampleCount % deformationFrameSize == 0, "segment length must be a multiple of the deformation frame size")
        for (name, value, limit) in [("control plane dimension", controlPlaneDimension, 256), ("resonance count", resonanceCount, 256),
                                     ("expressivity", expressivity, 16), ("oscillator count", oscillatorCount, 1024),
                                     ("attack frames", attackFrameCount, 1 << 16)] {
            try require(value >= 1 && value <= limit, "\(name) \(value) is outside 1…\(limit)")
        }
        try require(attackSampleCount >= attackFrameCount && attackSampleCount <= sampleCount,
                    "attack length must lie between its frame count and the segment length")
        try require(lossWindowSize >= 2 && lossHopSize >= 1 && lossHopSize <= sampleCount, "bad loss STFT sizes")
        try require(learningRate > 0 && learningRate.isFinite, "learning rate must be positive")
    }
}
