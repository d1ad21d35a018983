/// What a corpus is converted to and how it is split.
public struct AudioCorpusConfiguration: Codable, Equatable, Sendable {
    /// Rate every file is resampled to, in Hz.
    public var sampleRate: Int
    /// Channels every file is mixed to (1 averages, 2 duplicates mono).
    public var channelCount: Int
    /// Fraction of files (by a hash of their relative path, so adding files never moves the
    /// others between the splits) held out for evaluation.
    public var heldOutFraction: Double

    public init(sampleRate: Int, channelCount: Int = 1, heldOutFraction: Double = 0.05) {
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.heldOutFraction = heldOutFraction
    }
}
