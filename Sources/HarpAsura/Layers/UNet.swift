import HarpNN
import HarpTensor

/// The convolutional U-Net over the frequency bins of a frame (the reference's `UNet`,
/// `harp/asura/modules.py`). Going down, each stage's layers see the conditioning twice: projected
/// per bin and concatenated to the channels (`per_bin_aux_projs`), and added inside each layer.
/// Going up, each layer adds the matching skip of the way down before it runs. The token encoder
/// is the down half alone (`downOnly`), whose bottleneck is flattened into the token.
///
/// Shapes: `x [batch, bins, inputChannels]`, `aux [batch, auxWidth]` → `[batch, bins, outputChannels]`,
/// or `[batch, bottleneckBins · bottleneckChannels]` when `downOnly`.
public final class UNet: Module {
    @Keyed("per_bin_aux_projs") public var perBinAuxProjections: [Linear]
    @Keyed("conv_layers_in") public var layersDown: [ConvLayer]
    @Keyed("conv_layers_out") public var layersUp: [ConvLayer]
    public let downOnly: Bool

    public init(_ config: UNetConfiguration, inputChannels: Int, outputChannels: Int, auxWidth: Int?,
                bins: Int, bottleneckChannels: Int, downOnly: Bool, generator: inout RandomGenerator) {
        let stages = config.stageChannels, factors = config.stageFactors, n = config.layersPerStage
        var binAuxWidths = [Int](repeating: 0, count: stages.count)
        var projections: [Linear] = []
        if let auxWidth {
            var stageBins = [bins]
            for k in factors.dropLast() { stageBins.append(stageBins.last! / k) }
            for (i, b) in stageBins.enumerated() {
                let width = max(config.minAuxRankPerBin * b, auxWidth)
                projections.append(Linear(inputCount: auxWidth, outputCount: width, bias: false, generator: &generator))
                binAuxWidths[i] = width / b
            }
        }
        _perBinAuxProjections.wrappedValue = projections
        let stageIn = [inputChannels] + stages.dropFirst(), stageOut = Array(stages.dropFirst()) + [bottleneckChannels]
        var down: [ConvLayer] = []
        for s in stages.indices {
            for layer in 0..<n {
                down.append(ConvLayer(
                    inputChannels: (layer == 0 ? stageIn[s] : stages[s]) + binAuxWidths[s],
                    outputChannels: layer == n - 1 ? stageOut[s] : stages[s], auxWidth: auxWidth,
                    factor: factors[s], downsamples: layer == n - 1, feedForwardMultiplier: config.feedForwardMultiplier,
                    activation: config.activation, normalizesInput: !(layer == 0 && s == 0), generator: &generator))
            }
        }
        _layersDown.wrappedValue = down
        var up: [ConvLayer] = []
        if !downOnly {
            let reversedStages = Array(stages.reversed()), reversedFactors = Array(factors.reversed())
            let upIn = [bottleneckChannels] + reversedStages.dropLast()
            let upOut = Array(reversedStages.dropLast()) + [outputChannels]
            for s in reversedStages.indices {
                for layer in 0..<n {
                    up.append(ConvLayer(
                        inputChannels: layer == 0 ? upIn[s] : reversedStages[s],
                        outputChannels: layer == n - 1 ? upOut[s] : reversedStages[s], auxWidth: auxWidth,
                        factor: reversedFactors[s], upsamples: layer == 0,
                        feedForwardMultiplier: config.feedForwardMultiplier, activation: config.activation,
                        generator: &generator))
                }
            }
        }
        _layersUp.wrappedValue = up
        self.downOnly = downOnly
        super.init()
    }

    public func callAsFunction(_ x: Tensor, aux: Tensor? = nil) -> Tensor {
        let batch = x.shape[0], bins = x.shape[1]
        let binAux = aux.map { aux in perBinAuxProjections.map { $0(aux) } }
        var h = x
        var skips: [Tensor] = []
        var stage = 0
        for layer in layersDown {
            var input = h
            if let binAux {
                input = Tensor.concatenated([h, binAux[stage].reshaped([batch, h.shape[1], -1])], alongAxis: 2)
            }
            h = layer(input, aux: aux)
            skips.append(h)
            if layer.downsamples { stage += 1 }
        }
        if downOnly { return h.reshaped([batch, -1]) }
        for (layer, skip) in zip(layersUp, skips.reversed()) {
            h = h.sliced(alongAxis: 1, start: 0, end: skip.shape[1])
            h = layer(h + skip, aux: aux)
        }
        return h.sliced(alongAxis: 1, start: 0, end: bins)
    }
}
