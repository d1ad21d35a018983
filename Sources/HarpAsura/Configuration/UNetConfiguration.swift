/// The convolutional U-Net of the token encoder and the decoders (`UNet` in the reference's
/// `harp/asura/modules.py`), as the config file gives it; the model fills in the sizes it derives
/// (`d_in`, `d_out`, `d_aux`, `bins_in`, and the token encoder's `d_bottleneck`).
public struct UNetConfiguration: Equatable, Sendable {
    /// Channels of each stage, from the input side.
    public var stageChannels: [Int]
    /// Channels at the bottom of the U.
    public var bottleneckChannels: Int
    /// Convolution layers per stage; the last one of each stage resamples.
    public var layersPerStage: Int
    /// Resampling factor of each stage (the depthwise kernel is `2k − 1` wide).
    public var stageFactors: [Int]
    public var feedForwardMultiplier: Int
    public var activation: Activation
    /// Per-bin conditioning width: `max(minAuxRankPerBin · bins, d_aux) / bins` channels per bin.
    public var minAuxRankPerBin: Int

    /// Reads the keys of `UNet.__init__` that a config file may set. `derivesBottleneck`: the token
    /// encoder's bottleneck is derived from `d_token`, so the file must not set it.
    init(_ object: inout ConfigurationReader.Object, derivesBottleneck: Bool) {
        stageChannels = object.ints("d_conv_stages")
        bottleneckChannels = derivesBottleneck ? 0 : object.int("d_bottleneck")
        layersPerStage = object.int("conv_layers_per_stage")
        stageFactors = object.ints("conv_k_stages")
        feedForwardMultiplier = object.int("ff_mult")
        let activationName = object.string("act_fn")
        activation = Activation(name: activationName) ?? .silu
        if Activation(name: activationName) == nil { object.reportWrongType("act_fn") }
        minAuxRankPerBin = object.int("min_aux_rank_per_bin", default: 4)
        let layersOut = object.int("conv_layers_per_stage_out", default: layersPerStage)
        if layersOut != layersPerStage { object.reportWrongType("conv_layers_per_stage_out") }
        object.finish()
    }

    /// The product of the stage factors: how many input bins make one bottleneck position.
    public var totalFactor: Int { stageFactors.reduce(1, *) }

    func validate(name: String, bins: Int) throws(AsuraConfigurationError) {
        guard !stageChannels.isEmpty, stageChannels.count == stageFactors.count else {
            throw .inconsistent("\(name): d_conv_stages and conv_k_stages must be non-empty and of equal length")
        }
        guard stageChannels.allSatisfy({ $0 > 0 }), stageFactors.allSatisfy({ $0 > 0 }),
              layersPerStage > 0, feedForwardMultiplier > 0 else {
            throw .inconsistent("\(name): sizes must be positive")
        }
        guard bins % totalFactor == 0 else {
            throw .inconsistent("\(name): \(bins) bins are not divisible by the product of conv_k_stages (\(totalFactor))")
        }
    }
}
