import Foundation

/// The hyperparameters of a music2latent consistency autoencoder, as the package's `hparams.py`
/// names them (the `config.json` of a converted or oracle folder holds exactly these keys).
///
/// The defaults are the published model's; a folder's `config.json` overrides any of them. A
/// folder whose config lacks every architecture key is not this architecture (see `init(from:)`).
public struct LatentConfiguration: Codable, Equatable, Sendable {
    public var hop = 512
    public var dataChannels = 2
    public var baseChannels = 64
    public var multipliers = [1, 2, 4, 4, 4]
    public var layers = [2, 2, 2, 2, 2]
    public var attention = [0, 0, 1, 1, 1]
    public var encoderLayers = [1, 1, 1, 1, 1]
    public var encoderAttention = [0, 0, 1, 1, 1]
    /// Per resolution step: 1 for a frequency-only ×4 step, 0 for a ×2 step in frequency and time.
    public var frequencyDownsampling = [1, 0, 0, 0]
    public var bottleneckBaseChannels = 512
    public var bottleneckLayerCount = 4
    public var heads = 4
    public var conditionChannels = 256
    /// Latent channels (64 in the published model).
    public var bottleneckChannels = 64
    public var normalization = true
    public var frequencyScaling = true
    public var preNormalize2dTo1d = true
    public var preNormalizeDownsamplingEncoder = true
    public var useFourier = false
    public var sigmaMin: Float = 0.002
    public var sigmaMax: Float = 80
    public var sigmaData: Float = 0.5
    public var rho: Float = 7
    public var alphaRescale: Float = 0.65
    public var betaRescale: Float = 0.34
    public var sampleRate = 44100
    /// `EncoderDecoder.encode` divides the tanh output by this (`hparams_inference.sigma_rescale`).
    public var sigmaRescale: Float = 0.06

    enum CodingKeys: String, CodingKey {
        case hop, heads, normalization, rho
        case dataChannels = "data_channels", baseChannels = "base_channels"
        case multipliers = "multipliers_list", layers = "layers_list", attention = "attention_list"
        case encoderLayers = "layers_list_encoder", encoderAttention = "attention_list_encoder"
        case frequencyDownsampling = "freq_downsample_list"
        case bottleneckBaseChannels = "bottleneck_base_channels", bottleneckLayerCount = "num_bottleneck_layers"
        case conditionChannels = "cond_channels", bottleneckChannels = "bottleneck_channels"
        case frequencyScaling = "frequency_scaling", preNormalize2dTo1d = "pre_normalize_2d_to_1d"
        case preNormalizeDownsamplingEncoder = "pre_normalize_downsampling_encoder"
        case useFourier = "use_fourier", sigmaMin = "sigma_min", sigmaMax = "sigma_max", sigmaData = "sigma_data"
        case alphaRescale = "alpha_rescale", betaRescale = "beta_rescale", sampleRate = "sample_rate"
        case sigmaRescale = "sigma_rescale"
    }

    /// The published configuration.
    public init() {}

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            if let decoded = try container.decodeIfPresent(T.self, forKey: key) { value = decoded }
        }
        try read(.hop, &hop); try read(.dataChannels, &dataChannels); try read(.baseChannels, &baseChannels)
        try read(.multipliers, &multipliers); try read(.layers, &layers); try read(.attention, &attention)
        try read(.encoderLayers, &encoderLayers); try read(.encoderAttention, &encoderAttention)
        try read(.frequencyDownsampling, &frequencyDownsampling)
        try read(.bottleneckBaseChannels, &bottleneckBaseChannels); try read(.bottleneckLayerCount, &bottleneckLayerCount)
        try read(.heads, &heads); try read(.conditionChannels, &conditionChannels)
        try read(.bottleneckChannels, &bottleneckChannels); try read(.normalization, &normalization)
        try read(.frequencyScaling, &frequencyScaling); try read(.preNormalize2dTo1d, &preNormalize2dTo1d)
        try read(.preNormalizeDownsamplingEncoder, &preNormalizeDownsamplingEncoder)
        try read(.useFourier, &useFourier); try read(.sigmaMin, &sigmaMin); try read(.sigmaMax, &sigmaMax)
        try read(.sigmaData, &sigmaData); try read(.rho, &rho); try read(.alphaRescale, &alphaRescale)
        try read(.betaRescale, &betaRescale); try read(.sampleRate, &sampleRate); try read(.sigmaRescale, &sigmaRescale)
    }

    /// The keys that identify this architecture: a config with none of them is another model's.
    static let identifyingKeys = ["freq_downsample_list", "bottleneck_channels", "layers_list_encoder", "sigma_data"]

    // MARK: - Derived sizes

    /// STFT bins kept (the Nyquist bin is dropped): `2·hop`.
    public var binCount: Int { 2 * hop }
    /// The STFT window and FFT length: `4·hop`.
    public var windowLength: Int { 4 * hop }
    /// STFT frames per latent frame: 2 per ×2 step.
    public var downscalingFactor: Int { 1 << frequencyDownsampling.filter { $0 == 0 }.count }
    /// Frequency rows left at the bottom of the 2-D encoder.
    public var bottomFrequencyCount: Int {
        let ones = frequencyDownsampling.filter { $0 == 1 }.count
        return binCount / (1 << (2 * ones)) / downscalingFactor
    }
    /// Audio samples per latent frame.
    public var samplesPerLatentFrame: Int { hop * downscalingFactor }
    /// The shortest input that yields one latent frame: one latent's worth plus the window overhang.
    public var minimumSampleCount: Int { samplesPerLatentFrame + 3 * hop }

    /// The samples the encoder uses of an `n`-sample input (the package's crop): whole latent
    /// frames plus the window overhang, or 0 when `n` is too short for one.
    public func croppedLength(_ n: Int) -> Int {
        guard n >= minimumSampleCount else { return 0 }
        return ((n - 3 * hop) / hop / downscalingFactor) * hop * downscalingFactor + 3 * hop
    }

    /// The problems that make this configuration unusable, or `nil`.
    func validationFailure() -> String? {
        let levels = multipliers.count
        if hop < 4 || dataChannels != 2 { return "hop must be ≥ 4 and data_channels 2 (real, imaginary)" }
        if levels < 1 || [layers.count, attention.count, encoderLayers.count, encoderAttention.count].contains(where: { $0 != levels })
            || frequencyDownsampling.count != levels - 1 {
            return "multipliers_list, layers_list, attention_list (and their _encoder forms) must have one entry per level, freq_downsample_list one fewer"
        }
        if baseChannels < 4 || heads < 1 || conditionChannels < 4 || conditionChannels % 2 != 0 || bottleneckChannels < 1
            || bottleneckBaseChannels < 4 || bottomFrequencyCount < 1 {
            return "channel counts are too small for this architecture"
        }
        if useFourier { return "use_fourier (random Fourier noise embedding) is not supported" }
        if !normalization { return "normalization = false is not supported" }
        return nil
    }
}
