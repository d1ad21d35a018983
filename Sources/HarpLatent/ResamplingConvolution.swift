import HarpNN
import HarpTensor

/// The reference's resolution steps between UNet levels (keys `norm`, `c`):
/// `DownsampleConv` (3×3, stride 2), `DownsampleFreqConv` ((5,1), stride (4,1)), `UpsampleConv`
/// (nearest ×2 in both axes, then 3×3) and `UpsampleFreqConv` (nearest ×4 along frequency, then
/// (5,1)); an optional GroupNorm first.
final class ResamplingConvolution: Module, SpectrogramLayer {
    enum Kind { case down, downFrequency, up, upFrequency }

    let kind: Kind
    let norm: GroupNorm?
    let c: Conv2d

    init(_ kind: Kind, input: Int, output: Int, normalize: Bool, generator: inout RandomGenerator) {
        self.kind = kind
        norm = normalize ? referenceGroupNorm(input) : nil
        switch kind {
        case .down:
            c = Conv2d(inputChannels: input, outputChannels: output, kernelSize: (3, 3), stride: (2, 2),
                       padding: (1, 1), generator: &generator)
        case .downFrequency:
            c = Conv2d(inputChannels: input, outputChannels: output, kernelSize: (5, 1), stride: (4, 1),
                       padding: (2, 0), generator: &generator)
        case .up:
            c = sameConv2d(input, output, kernel: (3, 3), generator: &generator)
        case .upFrequency:
            c = sameConv2d(input, output, kernel: (5, 1), generator: &generator)
        }
        super.init()
    }

    func callAsFunction(_ input: Tensor, embedding: Tensor?) -> Tensor {
        let x = norm.map { $0(input) } ?? input
        switch kind {
        case .down, .downFrequency: return c(x)
        case .up: return c(Self.nearest(x, rows: 2, columns: 2))
        case .upFrequency: return c(Self.nearest(x, rows: 4, columns: 1))
        }
    }

    /// Nearest-neighbour upsampling of `[B, C, H, W]` by whole factors (`F.interpolate(mode="nearest")`).
    static func nearest(_ x: Tensor, rows: Int, columns: Int) -> Tensor {
        let (b, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        return x.reshaped([b, c, h, 1, w, 1]).expanded(to: [b, c, h, rows, w, columns])
            .reshaped([b, c, h * rows, w * columns])
    }
}
