import Foundation
import HarpTensor

/// The published codecs' architectures (their `config.json` values), for building full-size
/// models with random weights when the real ones are not at hand (benchmarks).
public enum CodecPreset: String, CaseIterable, Sendable {
    case encodec24kHz = "encodec_24khz"
    case encodec32kHz = "encodec_32khz"
    case encodec48kHz = "encodec_48khz"
    case dac44kHz = "dac_44khz"

    /// facebook/encodec_24khz (the `transformers` defaults).
    public static var encodec24kHzConfiguration: EncodecConfiguration {
        var c = EncodecConfiguration()
        c.codebookDim = 128
        return c
    }

    /// facebook/encodec_32khz, MusicGen's codec.
    public static var encodec32kHzConfiguration: EncodecConfiguration {
        var c = encodec24kHzConfiguration
        c.samplingRate = 32000
        c.upsamplingRatios = [8, 5, 4, 4]
        c.targetBandwidths = [2.2]
        c.numFilters = 64
        c.codebookSize = 2048
        c.useCausalConv = false
        c.useConvShortcut = false
        return c
    }

    /// facebook/encodec_48khz: stereo, chunked, normalised, `time_group_norm`.
    public static var encodec48kHzConfiguration: EncodecConfiguration {
        var c = encodec24kHzConfiguration
        c.samplingRate = 48000
        c.audioChannels = 2
        c.targetBandwidths = [3, 6, 12, 24]
        c.chunkLengthSeconds = 1.0
        c.overlap = 0.01
        c.normalize = true
        c.normType = "time_group_norm"
        c.useCausalConv = false
        return c
    }

    /// descript/dac_44khz.
    public static var dac44kHzConfiguration: DacConfiguration {
        var c = DacConfiguration()
        c.samplingRate = 44100
        return c
    }

    /// Writes `config.json` and `model.safetensors` (random weights in the `transformers`
    /// layout, as `save_pretrained` names them) into `folder`, which is created if needed.
    public func writeRandomFolder(to folder: URL, seed: UInt64 = 0) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let weights: CodecWeights
        var config: [String: Any]
        switch self {
        case .dac44kHz:
            let configuration = Self.dac44kHzConfiguration
            weights = CodecWeights(randomSeed: seed, weightNormNaming: false)
            _ = try DacModel(configuration: configuration, weights: weights, identity: CodecIdentity(name: rawValue, weightsHash: ""))
            config = try JSONSerialization.jsonObject(with: encoder.encode(configuration)) as! [String: Any]
            config["model_type"] = "dac"
        default:
            let configuration = self == .encodec24kHz ? Self.encodec24kHzConfiguration
                : self == .encodec32kHz ? Self.encodec32kHzConfiguration : Self.encodec48kHzConfiguration
            weights = CodecWeights(randomSeed: seed, weightNormNaming: configuration.normType == "weight_norm")
            _ = try EncodecModel(configuration: configuration, weights: weights, identity: CodecIdentity(name: rawValue, weightsHash: ""))
            config = try JSONSerialization.jsonObject(with: encoder.encode(configuration)) as! [String: Any]
            config["model_type"] = "encodec"
        }
        let data = try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: folder.appendingPathComponent(CodecLoader.configurationFileName), options: .atomic)
        try SafeTensors.write(weights.recorded, to: folder.appendingPathComponent(CodecLoader.weightsFileName))
    }
}
