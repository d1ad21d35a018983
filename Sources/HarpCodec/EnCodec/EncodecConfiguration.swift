import Foundation

/// The configuration of an EnCodec model, as `transformers` writes it in `config.json`
/// (`EncodecConfig`). Absent fields take `transformers`' defaults (those of `encodec_24khz`).
///
/// ref: huggingface/transformers `src/transformers/models/encodec/configuration_encodec.py`
public struct EncodecConfiguration: Codable, Equatable, Sendable {
    public var targetBandwidths: [Double] = [1.5, 3.0, 6.0, 12.0, 24.0]
    public var samplingRate: Int = 24000
    public var audioChannels: Int = 1
    public var normalize: Bool = false
    public var chunkLengthSeconds: Double? = nil
    public var overlap: Double? = nil
    public var hiddenSize: Int = 128
    public var numFilters: Int = 32
    public var numResidualLayers: Int = 1
    public var upsamplingRatios: [Int] = [8, 5, 4, 2]
    public var normType: String = "weight_norm"
    public var kernelSize: Int = 7
    public var lastKernelSize: Int = 7
    public var residualKernelSize: Int = 3
    public var dilationGrowthRate: Int = 2
    public var useCausalConv: Bool = true
    public var padMode: String = "reflect"
    public var compress: Int = 2
    public var numLSTMLayers: Int = 2
    public var trimRightRatio: Double = 1.0
    public var codebookSize: Int = 1024
    public var codebookDim: Int? = nil
    public var useConvShortcut: Bool = true

    enum CodingKeys: String, CodingKey {
        case targetBandwidths = "target_bandwidths"
        case samplingRate = "sampling_rate"
        case audioChannels = "audio_channels"
        case normalize
        case chunkLengthSeconds = "chunk_length_s"
        case overlap
        case hiddenSize = "hidden_size"
        case numFilters = "num_filters"
        case numResidualLayers = "num_residual_layers"
        case upsamplingRatios = "upsampling_ratios"
        case normType = "norm_type"
        case kernelSize = "kernel_size"
        case lastKernelSize = "last_kernel_size"
        case residualKernelSize = "residual_kernel_size"
        case dilationGrowthRate = "dilation_growth_rate"
        case useCausalConv = "use_causal_conv"
        case padMode = "pad_mode"
        case compress
        case numLSTMLayers = "num_lstm_layers"
        case trimRightRatio = "trim_right_ratio"
        case codebookSize = "codebook_size"
        case codebookDim = "codebook_dim"
        case useConvShortcut = "use_conv_shortcut"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try c.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        targetBandwidths = try value(.targetBandwidths, targetBandwidths)
        samplingRate = try value(.samplingRate, samplingRate)
        audioChannels = try value(.audioChannels, audioChannels)
        normalize = try value(.normalize, normalize)
        chunkLengthSeconds = try c.decodeIfPresent(Double.self, forKey: .chunkLengthSeconds)
        overlap = try c.decodeIfPresent(Double.self, forKey: .overlap)
        hiddenSize = try value(.hiddenSize, hiddenSize)
        numFilters = try value(.numFilters, numFilters)
        numResidualLayers = try value(.numResidualLayers, numResidualLayers)
        upsamplingRatios = try value(.upsamplingRatios, upsamplingRatios)
        normType = try value(.normType, normType)
        kernelSize = try value(.kernelSize, kernelSize)
        lastKernelSize = try value(.lastKernelSize, lastKernelSize)
        residualKernelSize = try value(.residualKernelSize, residualKernelSize)
        dilationGrowthRate = try value(.dilationGrowthRate, dilationGrowthRate)
        useCausalConv = try value(.useCausalConv, useCausalConv)
        padMode = try value(.padMode, padMode)
        compress = try value(.compress, compress)
        numLSTMLayers = try value(.numLSTMLayers, numLSTMLayers)
        trimRightRatio = try value(.trimRightRatio, trimRightRatio)
        codebookSize = try value(.codebookSize, codebookSize)
        codebookDim = try c.decodeIfPresent(Int.self, forKey: .codebookDim)
        useConvShortcut = try value(.useConvShortcut, useConvShortcut)
    }

    /// Samples per code frame: the product of the ratios.
    public var hopLength: Int { upsamplingRatios.reduce(1, *) }
    /// Code frames per second, `⌈sampleRate / hop⌉`.
    public var frameRate: Int { (samplingRate + hopLength - 1) / hopLength }
    /// Bits per code, `⌈log2 codebookSize⌉`.
    public var codebookBits: Int { Int(Foundation.log2(Double(codebookSize)).rounded(.up)) }
    /// The quantiser's width (`codebook_dim`, else `hidden_size`).
    public var quantizerDimension: Int { codebookDim ?? hiddenSize }
    /// Codebooks at the highest bandwidth.
    public var maximumQuantizerCount: Int {
        Int(1000 * (targetBandwidths.last ?? 0)) / (frameRate * codebookBits)
    }
    /// Samples per chunk (48 kHz style), or `nil` for whole-file models.
    public var chunkLength: Int? { chunkLengthSeconds.map { Int($0 * Double(samplingRate)) } }
    /// Samples between chunk starts, `max(1, ⌊(1 − overlap)·chunkLength⌋)`.
    public var chunkStride: Int? {
        guard let chunkLength, let overlap else { return nil }
        return max(1, Int((1.0 - overlap) * Double(chunkLength)))
    }

    /// Codebooks used at `bandwidth` kbit/s: `max(1, ⌊1000·bw / (frameRate·log2 K)⌋)`.
    public func quantizerCount(bandwidth: Double) -> Int {
        max(1, Int((bandwidth * 1000 / (Double(frameRate) * Foundation.log2(Double(codebookSize)))).rounded(.down)))
    }

    /// Checks the values this implementation relies on.
    func validate() throws(CodecError) {
        func require(_ condition: Bool, _ reason: String) throws(CodecError) {
            if !condition { throw .unsupportedConfiguration(reason) }
        }
        try require(["weight_norm", "time_group_norm"].contains(normType), "EnCodec norm_type \"\(normType)\"")
        try require(["reflect", "constant", "zeros"].contains(padMode), "EnCodec pad_mode \"\(padMode)\"")
        try require((1...2).contains(audioChannels), "EnCodec audio_channels \(audioChannels)")
        try require(!upsamplingRatios.isEmpty && upsamplingRatios.allSatisfy { $0 >= 1 }, "upsampling_ratios \(upsamplingRatios)")
        try require(codebookSize >= 2 && codebookSize & (codebookSize - 1) == 0, "codebook_size \(codebookSize) is not a power of 2")
        try require(!targetBandwidths.isEmpty && maximumQuantizerCount >= 1, "target_bandwidths \(targetBandwidths)")
        try require((1...8).contains(numLSTMLayers), "num_lstm_layers \(numLSTMLayers)")
        try require(numFilters >= 1 && hiddenSize >= 1 && compress >= 1 && samplingRate >= 1, "sizes must be positive")
        try require(useCausalConv || trimRightRatio == 1.0, "trim_right_ratio ≠ 1 needs causal convolutions")
        if chunkLengthSeconds != nil {
            try require(overlap != nil && (chunkLength ?? 0) > 0, "chunk_length_s needs overlap")
        }
    }
}
