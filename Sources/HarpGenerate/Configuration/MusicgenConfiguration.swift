import Foundation

/// A MusicGen `config.json` (`transformers` `MusicgenConfig`): the text encoder, the decoder and
/// the audio codec's configurations. The codec's object is kept as JSON bytes, handed as they are
/// to the codec loader.
///
/// A Harp generator folder adds a `harp` object (`GeneratorComponents`) naming its text encoder
/// and codec; its `text_encoder` object then describes MiniLM (BERT), not T5.
public struct MusicgenConfiguration: Sendable, Equatable {
    /// The T5 encoder of a `transformers` folder; `nil` for a Harp generator (`components`).
    public var textEncoder: T5Configuration?
    /// The shared models a Harp generator names; `nil` for a `transformers` folder.
    public var components: GeneratorComponents?
    /// The width of the text states `enc_to_dec_proj` takes (T5 `d_model`, MiniLM `hidden_size`).
    public var textWidth: Int
    public var decoder: MusicgenDecoderConfiguration
    /// The `audio_encoder` object, re-encoded as JSON (an EnCodec `config.json`).
    public var audioEncoderJSON: Data
    /// `audio_encoder.sampling_rate` (32 000 for the published models).
    public var sampleRate: Int
    /// Code frames per second: `ceil(sampling_rate / Π upsampling_ratios)` (50 for EnCodec 32 kHz).
    public var frameRate: Double

    /// Parses `config.json`'s bytes.
    public init(json data: Data) throws(GenerateError) {
        struct Header: Decodable {
            var decoder: MusicgenDecoderConfiguration
            var components: GeneratorComponents?
            enum CodingKeys: String, CodingKey {
                case decoder
                case components = "harp"
            }
        }
        struct T5Header: Decodable {
            var textEncoder: T5Configuration
            enum CodingKeys: String, CodingKey { case textEncoder = "text_encoder" }
        }
        struct WidthHeader: Decodable {
            struct Text: Decodable {
                var hiddenSize: Int
                enum CodingKeys: String, CodingKey { case hiddenSize = "hidden_size" }
            }
            var textEncoder: Text
            enum CodingKeys: String, CodingKey { case textEncoder = "text_encoder" }
        }
        struct Audio: Decodable {
            var samplingRate: Int
            var upsamplingRatios: [Int]?
            enum CodingKeys: String, CodingKey {
                case samplingRate = "sampling_rate"
                case upsamplingRatios = "upsampling_ratios"
            }
        }
        let header: Header = try ConfigurationDecoding.decode(data, file: "config.json")
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let audio = object["audio_encoder"] as? [String: Any],
              let audioData = try? JSONSerialization.data(withJSONObject: audio, options: [.sortedKeys]) else {
            throw .malformedConfiguration(file: "config.json", reason: "no audio_encoder object")
        }
        let rate: Audio = try ConfigurationDecoding.decode(audioData, file: "config.json (audio_encoder)")
        components = header.components
        if let components {
            if let problem = components.problem() { throw .unsupported(problem) }
            textEncoder = nil
            textWidth = (try ConfigurationDecoding.decode(data, file: "config.json") as WidthHeader).textEncoder.hiddenSize
        } else {
            let t5 = (try ConfigurationDecoding.decode(data, file: "config.json") as T5Header).textEncoder
            textEncoder = t5
            textWidth = t5.modelDimension
        }
        decoder = header.decoder
        audioEncoderJSON = audioData
        sampleRate = rate.samplingRate
        let hop = (rate.upsamplingRatios ?? [8, 5, 4, 4]).reduce(1, *)
        frameRate = (Double(rate.samplingRate) / Double(max(hop, 1))).rounded(.up)
        try validate()
    }

    /// Sizes that the model cannot work with, found before any weight is read.
    private func validate() throws(GenerateError) {
        let d = decoder
        var positive = [textWidth, d.vocabSize, d.hiddenSize, d.layerCount, d.headCount, d.feedForwardDimension,
                        d.codebookCount, d.maximumPositionCount, sampleRate]
        if let t = textEncoder {
            positive += [t.vocabSize, t.keyValueDimension, t.feedForwardDimension, t.layerCount,
                         t.headCount, t.relativeAttentionBucketCount, t.relativeAttentionMaxDistance]
        }
        guard positive.allSatisfy({ $0 > 0 }) else {
            throw .malformedConfiguration(file: "config.json", reason: "a size is zero or negative")
        }
        guard d.hiddenSize % d.headCount == 0 else {
            throw .malformedConfiguration(file: "config.json",
                                          reason: "decoder hidden_size \(d.hiddenSize) is not divisible by \(d.headCount) heads")
        }
        guard d.audioChannelCount == 1 else {
            throw .unsupported("stereo MusicGen (audio_channels \(d.audioChannelCount)) is not supported yet")
        }
        if let t = textEncoder, t.feedForwardProjection != "relu" && t.feedForwardProjection != "gated-gelu" {
            throw .unsupported("T5 feed_forward_proj \"\(t.feedForwardProjection)\"")
        }
        guard d.activationFunction == "gelu" else {
            throw .unsupported("decoder activation_function \"\(d.activationFunction)\"")
        }
    }
}

/// JSON decoding that turns `DecodingError`s into one-line `GenerateError`s.
enum ConfigurationDecoding {
    static func decode<T: Decodable>(_ data: Data, file: String) throws(GenerateError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            let path = (context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
            throw .malformedConfiguration(file: file, reason: "missing \(path)")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .malformedConfiguration(file: file, reason: "\(path): \(context.debugDescription)")
        } catch {
            throw .malformedConfiguration(file: file, reason: "not valid JSON")
        }
    }
}
