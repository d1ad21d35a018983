/// The `harp` object of a generator folder's `config.json`: which shared models the decoder was
/// trained with, found by name instead of carried as weights (the text encoder and the codec are
/// larger than the decoder and are already on the machine).
///
/// ```json
/// "harp": {"format_version": 1, "text_encoder": "all-MiniLM-L6-v2", "text_conditioning": "mean-pooled",
///          "audio_codec": "harp-codec-24k", "bandwidth": 3.0}
/// ```
/// A folder without it is a `transformers` MusicGen folder (T5 and EnCodec weights inside).
public struct GeneratorComponents: Codable, Sendable, Equatable {
    public static let formatVersion = 1
    public static let miniLM = "all-MiniLM-L6-v2"
    public static let meanPooled = "mean-pooled"
    public static let bundledCodec = "harp-codec-24k"

    public var formatVersion: Int
    /// The sentence encoder whose output conditions the decoder (`all-MiniLM-L6-v2`).
    public var textEncoder: String
    /// How its output becomes the cross-attention sequence: `mean-pooled` (one state, the
    /// sentence-transformers embedding).
    public var textConditioning: String
    /// The codec whose tokens the decoder predicts (`harp-codec-24k`).
    public var audioCodec: String
    /// The codec bandwidth (kbit/s) whose codebooks the decoder predicts.
    public var bandwidth: Double

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case textEncoder = "text_encoder"
        case textConditioning = "text_conditioning"
        case audioCodec = "audio_codec"
        case bandwidth
    }

    public init(textEncoder: String = Self.miniLM, textConditioning: String = Self.meanPooled,
                audioCodec: String = Self.bundledCodec, bandwidth: Double) {
        formatVersion = Self.formatVersion
        self.textEncoder = textEncoder
        self.textConditioning = textConditioning
        self.audioCodec = audioCodec
        self.bandwidth = bandwidth
    }

    /// What this build cannot load, as one line (`nil` when it can).
    func problem() -> String? {
        if formatVersion > Self.formatVersion { return "generator format \(formatVersion) is newer than this harp" }
        if textEncoder != Self.miniLM { return "text encoder \"\(textEncoder)\" (this harp knows \(Self.miniLM))" }
        if textConditioning != Self.meanPooled { return "text conditioning \"\(textConditioning)\"" }
        if audioCodec != Self.bundledCodec { return "audio codec \"\(audioCodec)\" (this harp knows \(Self.bundledCodec))" }
        return nil
    }
}
