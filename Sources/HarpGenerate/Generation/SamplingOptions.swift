/// How each token is chosen from the logits: greedily, or drawn after temperature, top-k and
/// top-p filtering (in that order, as `transformers` applies its warpers).
public struct SamplingOptions: Sendable, Equatable {
    /// Divides the logits; 1 leaves them.
    public var temperature: Float
    /// Keep the `topK` largest logits (ties included); 0 keeps all.
    public var topK: Int
    /// Keep the smallest set of most likely tokens whose probability reaches `topP`; 1 keeps all.
    public var topP: Float
    /// The seed of the draws: the same seed, options and inputs give the same tokens.
    public var seed: UInt64

    public init(temperature: Float = 1, topK: Int = 250, topP: Float = 1, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.seed = seed
    }

    /// Out-of-range values, as one-line errors.
    public func validate() throws(GenerateError) {
        guard temperature.isFinite && temperature > 0 else { throw .badOption("--temperature must be above 0, got \(temperature)") }
        guard topK >= 0 else { throw .badOption("--top-k must be 0 (off) or more, got \(topK)") }
        guard topP.isFinite && topP > 0 && topP <= 1 else { throw .badOption("--top-p must lie in (0, 1], got \(topP)") }
    }
}

/// Everything one generation call takes besides the prompt.
public struct GenerationOptions: Sendable, Equatable {
    /// Decoder steps (`max_new_tokens`); they yield `steps − codebooks + 1` audio frames.
    public var steps: Int
    /// Classifier-free guidance scale; `nil` or ≤ 1 turns guidance off.
    public var guidanceScale: Float?
    /// `nil` for greedy decoding.
    public var sampling: SamplingOptions?
    /// Keep each step's scores (logits after guidance), `[steps, batch·codebooks, vocab]`.
    public var keepScores: Bool

    public init(steps: Int, guidanceScale: Float? = nil, sampling: SamplingOptions? = nil, keepScores: Bool = false) {
        self.steps = steps
        self.guidanceScale = guidanceScale
        self.sampling = sampling
        self.keepScores = keepScores
    }

    /// Whether guidance doubles the batch.
    public var usesGuidance: Bool { (guidanceScale ?? 1) > 1 }
}
