import HarpDSP
import HarpNN
import HarpTensor

/// One scale of the multi-scale STFT discriminator: a complex spectrogram (real and imaginary
/// parts as channels, time × frequency) through 2-D convolutions that narrow the frequency axis,
/// with leaky ReLUs; returns the logits and every activation (for feature matching).
///
/// Layers (state dict keys as in the reference): `convs.0` (2·channels → filters, kernel (3, 9)),
/// `convs.1…3` (kernel (3, 9), stride (1, 2), time dilations 1, 2, 4), `convs.4` (kernel (3, 3)),
/// `conv_post` (filters → 1, kernel (3, 3)); each a weight-normalised `NormConv2d`.
/// The spectrogram is torchaudio's `Spectrogram(normalized=True, center=False, power=None)` with a
/// periodic Hann window: the STFT divided by `√Σ window²`.
///
/// ref: facebookresearch/encodec `encodec/msstftd.py` (`DiscriminatorSTFT`), the discriminator of
/// EnCodec (Défossez et al. 2022, arXiv:2210.13438).
public final class STFTDiscriminator: Module {
    public let convs: [NormConv2d]
    @Keyed("conv_post") public var post: NormConv2d

    public let nFFT: Int
    public let hop: Int
    @Ignored var window: Tensor
    /// `1 / √Σ window²`, torchaudio's `normalized=True`.
    let windowScale: Float

    public init(filters: Int, channelCount: Int = 1, nFFT: Int, hop: Int, kernelSize: (Int, Int) = (3, 9),
                dilations: [Int] = [1, 2, 4], generator: inout RandomGenerator) {
        var layers = [NormConv2d(inputChannels: 2 * channelCount, outputChannels: filters, kernelSize: kernelSize,
                                 generator: &generator)]
        for dilation in dilations {
            layers.append(NormConv2d(inputChannels: filters, outputChannels: filters, kernelSize: kernelSize,
                                     stride: (1, 2), dilation: (dilation, 1), generator: &generator))
        }
        let square = (kernelSize.0, kernelSize.0)
        layers.append(NormConv2d(inputChannels: filters, outputChannels: filters, kernelSize: square, generator: &generator))
        convs = layers
        let postConv = NormConv2d(inputChannels: filters, outputChannels: 1, kernelSize: square, generator: &generator)
        self.nFFT = nFFT
        self.hop = hop
        let hann = Windows.hann(nFFT)
        _window = Ignored(wrappedValue: hann)
        windowScale = 1 / hann.square().sum().item.squareRoot()
        super.init()
        post = postConv
    }

    /// - Parameter audio: `[batch, channels, samples]`, at least `nFFT` samples.
    /// - Returns: logits `[batch, 1, frames′, bins′]` and the activation of each of `convs`.
    public func callAsFunction(_ audio: Tensor) -> (logits: Tensor, features: [Tensor]) {
        var x = spectrogram(audio)
        var features: [Tensor] = []
        for conv in convs {
            x = conv(x).leakyReLU(negativeSlope: 0.2)
            features.append(x)
        }
        return (post(x), features)
    }

    /// `[batch, channels, samples]` → `[batch, 2·channels, frames, bins]`: real parts of every
    /// channel, then imaginary parts.
    func spectrogram(_ audio: Tensor) -> Tensor {
        let (batch, channels, samples) = (audio.shape[0], audio.shape[1], audio.shape[2])
        let spectrum = stft(audio.reshaped([batch * channels, samples]), nFFT: nFFT, hop: hop, window: window,
                            center: false) * windowScale                       // [B·C, bins, frames, 2]
        let bins = spectrum.shape[1], frames = spectrum.shape[2]
        return spectrum.reshaped([batch, channels, bins, frames, 2])
            .permuted([0, 4, 1, 3, 2])                                         // [B, 2, C, frames, bins]
            .reshaped([batch, 2 * channels, frames, bins])
    }
}

/// The multi-scale STFT discriminator: `STFTDiscriminator`s at FFT sizes 1024, 2048 and 512 (hops
/// a quarter of each), under the key `discriminators`.
/// ref: facebookresearch/encodec `encodec/msstftd.py` (`MultiScaleSTFTDiscriminator`).
public final class MultiScaleSTFTDiscriminator: Module {
    public let discriminators: [STFTDiscriminator]

    public init(filters: Int = 32, channelCount: Int = 1, fftSizes: [Int] = [1024, 2048, 512],
                generator: inout RandomGenerator) {
        var scales: [STFTDiscriminator] = []
        for n in fftSizes {
            scales.append(STFTDiscriminator(filters: filters, channelCount: channelCount, nFFT: n, hop: n / 4,
                                            generator: &generator))
        }
        discriminators = scales
        super.init()
    }

    /// Each scale's logits and features.
    public func callAsFunction(_ audio: Tensor) -> [(logits: Tensor, features: [Tensor])] {
        discriminators.map { $0(audio) }
    }
}
