/// A model folder's `generation_config.json` (`transformers` `GenerationConfig`): the defaults
/// `harp generate` starts from. Absent keys take `transformers`' defaults.
public struct GenerationConfiguration: Codable, Sendable, Equatable {
    public var decoderStartTokenID: Int?
    public var padTokenID: Int?
    public var doSample: Bool
    public var maximumLength: Int?
    public var topK: Int?
    public var topP: Float?
    public var temperature: Float?
    public var guidanceScale: Float?

    enum CodingKeys: String, CodingKey {
        case decoderStartTokenID = "decoder_start_token_id"
        case padTokenID = "pad_token_id"
        case doSample = "do_sample"
        case maximumLength = "max_length"
        case topK = "top_k"
        case topP = "top_p"
        case temperature
        case guidanceScale = "guidance_scale"
    }

    public init(decoderStartTokenID: Int? = nil, padTokenID: Int? = nil, doSample: Bool = false,
                maximumLength: Int? = nil, topK: Int? = nil, topP: Float? = nil, temperature: Float? = nil,
                guidanceScale: Float? = nil) {
        self.decoderStartTokenID = decoderStartTokenID
        self.padTokenID = padTokenID
        self.doSample = doSample
        self.maximumLength = maximumLength
        self.topK = topK
        self.topP = topP
        self.temperature = temperature
        self.guidanceScale = guidanceScale
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        decoderStartTokenID = try c.decodeIfPresent(Int.self, forKey: .decoderStartTokenID)
        padTokenID = try c.decodeIfPresent(Int.self, forKey: .padTokenID)
        doSample = try c.decodeIfPresent(Bool.self, forKey: .doSample) ?? false
        maximumLength = try c.decodeIfPresent(Int.self, forKey: .maximumLength)
        topK = try c.decodeIfPresent(Int.self, forKey: .topK)
        topP = try c.decodeIfPresent(Float.self, forKey: .topP)
        temperature = try c.decodeIfPresent(Float.self, forKey: .temperature)
        guidanceScale = try c.decodeIfPresent(Float.self, forKey: .guidanceScale)
    }
}
