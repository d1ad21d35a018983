/// How `AsuraGenerator` decodes each frame.
public struct AsuraSamplingOptions: Sendable, Equatable {
    /// Which decoders take more than one step (with one step both use the `y` decoders, the single
    /// 0 → 1 jump).
    public enum Decoding: String, Sendable {
        /// The `u` decoders jumping `t → t + 1/steps` (ref: asura.py `sample_single_frame`, which
        /// play.py streams with).
        case jumps
        /// The `v` decoders integrated with Euler steps, phase pairs clipped to the unit disc after
        /// each step (ref: asura.py `sample`).
        case velocity
    }

    /// Flow steps per frame (1 = one-step `y` decoders).
    public var steps: Int
    /// `eps_ctx`: how much prior noise is mixed into each generated frame before it becomes
    /// context for the next ones (the reference samples with its config's `sample_eps_ctx`).
    public var contextNoise: Float
    public var decoding: Decoding

    public init(steps: Int = 1, contextNoise: Float, decoding: Decoding = .jumps) {
        precondition(steps >= 1, "sampling: steps must be at least 1")
        self.steps = steps
        self.contextNoise = contextNoise
        self.decoding = decoding
    }
}
