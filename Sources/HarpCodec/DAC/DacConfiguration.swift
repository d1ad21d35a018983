import Foundation

/// The configuration of a DAC model, as `transformers` writes it in `config.json` (`DacConfig`).
/// Absent fields take `transformers`' defaults; `hidden_size`, `hop_length` and
/// `upsampling_ratios` are derived when absent.
///
/// ref: huggingface/transformers `src/transformers/models/dac/configuration_dac.py`
public struct DacConfiguration: Codable, Equatable, Sendable {
    public var encoderHiddenSize: Int = 64
    public var downsamplingRatios: [Int] = [2, 4, 8, 8]
    public var decoderHiddenSize: Int = 1536
    public var codebookCount: Int = 9
    public var codebookSize: Int = 1024
    public var codebookDim: Int = 8
    public var samplingRate: Int = 16000
    public var hiddenSizeValue: Int? = nil
    public var upsamplingRatiosValue: [Int]? = nil

    enum CodingKeys: String, CodingKey {
        case encoderHiddenSize = "encoder_hidden_size"
        case downsamplingRatios = "downsampling_ratios"
        case decoderHiddenSize = "decoder_hidden_size"
        case codebookCount = "n_codebooks"
        case codebookSize = "codebook_size"
        case codebookDim = "codebook_dim"
        case samplingRate = "sampling_rate"
        case hiddenSizeValue = "hidden_size"
        case upsamplingRatiosValue = "upsampling_ratios"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try c.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        encoderHiddenSize = try value(.encoderHiddenSize, encoderHiddenSize)
        downsamplingRatios = try value(.downsamplingRatios, downsamplingRatios)
        decoderHiddenSize = try value(.decoderHiddenSize, decoderHiddenSize)
        codebookCount = try value(.codebookCount, codebookCount)
        codebookSize = try value(.codebookSize, codebookSize)
        codebookDim = try value(.codebookDim, codebookDim)
        samplingRate = try value(.samplingRate, samplingRate)
        hiddenSizeValue = try c.decodeIfPresent(Int.self, forKey: .hiddenSizeValue)
        upsamplingRatiosValue = try c.decodeIfPresent([Int].self, forKey: .upsamplingRatiosValue)
    }

    /// The latent width, `encoder_hidden_size · 2^(number of ratios)`.
    public var hiddenSize: Int { hiddenSizeValue ?? encoderHiddenSize << downsamplingRatios.count }
    /// The decoder's strides (the encoder's reversed).
    public var upsamplingRatios: [Int] { upsamplingRatiosValue ?? downsamplingRatios.reversed() }
    /// Samples per code frame.
    public var hopLength: Int { downsamplingRatios.reduce(1, *) }
    /// Code frames per second, `sampleRate / hop`.
    public var frameRate: Double { Double(samplingRate) / Double(hopLength) }
    /// Bits per code.
    public var codebookBits: Double { Foundation.log2(Double(codebookSize)) }

    func validate() throws(CodecError) {
        func require(_ condition: Bool, _ reason: String) throws(CodecError) {
            if !condition { throw .unsupportedConfiguration(reason) }
        }
        try require(!downsamplingRatios.isEmpty && downsamplingRatios.allSatisfy { $0 >= 1 }, "downsampling_ratios \(downsamplingRatios)")
        try require(upsamplingRatios.count == downsamplingRatios.count && upsamplingRatios.allSatisfy { $0 >= 1 },
                    "upsampling_ratios \(upsamplingRatios)")
        try require(codebookCount >= 1 && codebookDim >= 1 && samplingRate >= 1 && encoderHiddenSize >= 1, "sizes must be positive")
        try require(codebookSize >= 2 && codebookSize & (codebookSize - 1) == 0, "codebook_size \(codebookSize) is not a power of 2")
        try require(decoderHiddenSize >> upsamplingRatios.count >= 1, "decoder_hidden_size \(decoderHiddenSize) is too small")
    }
}
