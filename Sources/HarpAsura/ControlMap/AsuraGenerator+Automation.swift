extension AsuraGenerator {
    /// The sample rate the models are trained at (the reference's 44.1 kHz).
    public static let sampleRate = 44_100

    /// Renders a knob automation through `map`: one block per frame hop, the knobs read at each
    /// block's start, until the automation's duration is covered; then the tail. Each block is
    /// handed to `body`, interleaved `[samples, channels]`.
    public func render(_ automation: AsuraKnobAutomation, through map: AsuraControlMap,
                       isCancelled: () -> Bool = { false }, body: ([Float]) throws -> Void) rethrows {
        let hop = blockSampleCount
        let frames = max(1, Int((automation.durationSeconds * Double(Self.sampleRate) / Double(hop)).rounded(.up)))
        for i in 0..<frames where !isCancelled() {
            let time = Double(i * hop) / Double(Self.sampleRate)
            try body(nextBlock(latent: map.latent(knobs: automation.knobs(at: time))))
        }
        try body(finish())
    }
}
