import HarpNN
import HarpTensor

/// One layer of the U-Net (the reference's `ConvLayer`, `harp/asura/modules.py`): layer norm over
/// channels, a pointwise projection to `[shortcut | hidden]`, a depthwise convolution of width
/// `2k − 1` (stride `k` when it downsamples; after `k`-fold repetition when it upsamples), the
/// conditioning added to the hidden part, a gated activation, and a pointwise projection added to
/// the shortcut.
///
/// Shapes: `x [batch, length, inputChannels]`, `aux [batch, auxWidth]` →
/// `[batch, length′, outputChannels]` with `length′ = length/k` (down), `length·k` (up) or `length`.
public final class ConvLayer: Module {
    @Keyed("proj_in_d") public var projectIn: Conv1d
    @Keyed("proj_in_w") public var projectDepthwise: Conv1d
    @Keyed("proj_out") public var projectOut: Conv1d
    @Keyed("aux_proj") public var auxProjection: Linear?
    public let outputChannels: Int
    public let factor: Int
    public let downsamples: Bool
    public let upsamples: Bool
    public let normalizesInput: Bool
    @Ignored public var activation: Activation

    public init(inputChannels: Int, outputChannels: Int, auxWidth: Int?, factor k: Int,
                downsamples: Bool = false, upsamples: Bool = false, feedForwardMultiplier: Int,
                activation: Activation, normalizesInput: Bool = true, generator: inout RandomGenerator) {
        let hidden = outputChannels * feedForwardMultiplier
        let hiddenIn = activation.isGated ? 2 * hidden : hidden
        let projected = hiddenIn + outputChannels
        _projectIn.wrappedValue = Conv1d(inputChannels: inputChannels, outputChannels: projected, kernelSize: 1, generator: &generator)
        _projectDepthwise.wrappedValue = Conv1d(inputChannels: projected, outputChannels: projected, kernelSize: 2 * k - 1,
                                  stride: downsamples ? k : 1, padding: k - 1, groups: projected, bias: false,
                                  generator: &generator)
        _projectOut.wrappedValue = Conv1d(inputChannels: hidden, outputChannels: outputChannels, kernelSize: 1, bias: false,
                            generator: &generator)
        _auxProjection.wrappedValue = auxWidth.map { Linear(inputCount: $0, outputCount: hiddenIn, bias: false, generator: &generator) }
        self.outputChannels = outputChannels
        factor = k
        self.downsamples = downsamples
        self.upsamples = upsamples
        self.normalizesInput = normalizesInput
        self.activation = activation
        super.init()
    }

    public func callAsFunction(_ x: Tensor, aux: Tensor?) -> Tensor {
        var h = normalizesInput ? x.layerNorm(normalizedShape: [x.shape[2]]) : x
        h = projectIn(h.transposed(1, 2))
        if upsamples {
            let (batch, channels, length) = (h.shape[0], h.shape[1], h.shape[2])
            h = h.unsqueezed(axis: 3).expanded(to: [batch, channels, length, factor])
                .reshaped([batch, channels, length * factor])
        }
        h = projectDepthwise(h)
        let parts = h.split(sizes: [outputChannels, h.shape[1] - outputChannels], alongAxis: 1)
        var hidden = parts[1]
        if let aux, let auxProjection { hidden = hidden + auxProjection(aux).unsqueezed(axis: 2) }
        return (projectOut(activation(hidden, axis: 1)) + parts[0]).transposed(1, 2)
    }
}
