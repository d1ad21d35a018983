/// The JSON header of a `.harpc` file: which model made the codes, at what rate and bandwidth,
/// and how the packed codes that follow are laid out. See `docs/file-formats.md`.
public struct HarpcHeader: Codable, Equatable, Sendable {
    /// The codec whose weights made the codes; only the same weights decode them.
    public var model: CodecIdentity
    /// The model's audio rate, in Hz.
    public var sampleRate: Int
    /// Audio channels.
    public var channelCount: Int
    /// The bandwidth the codes were made at, in kbit/s.
    public var bandwidth: Double
    /// Code frames per second.
    public var frameRate: Double
    /// Entries per codebook; every code is below it.
    public var codebookSize: Int
    /// Bits each packed code takes: `⌈log₂ codebookSize⌉`.
    public var bitsPerCode: Int
    /// `[chunkCount, codebookCount, frameCount]` of the packed codes (row-major).
    public var codeShape: [Int]
    /// Audio samples (per channel) the codes stand for.
    public var sampleCount: Int
    /// Per-chunk loudness scales (EnCodec 48 kHz), or `nil`.
    public var scales: [Float]?

    /// Limits on what a header may declare, so a malformed file cannot make a reader allocate
    /// without bound before the payload's size is checked against them.
    static let maximumCodebookSize = 1 << 24
    static let maximumChannelCount = 64
    static let sampleRateRange = 1...1_536_000
}
