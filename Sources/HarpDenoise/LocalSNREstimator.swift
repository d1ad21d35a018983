import HarpTensor

/// DeepFilterNet3's own estimate of the local SNR of a 48 kHz signal, hop by hop: the encoder
/// alone (no decoders), used to measure a signal before and after enhancement.
public final class LocalSNREstimator {
    let encoder: DeepFilterNetEncoder
    let configuration = DeepFilterNetConfiguration()
    private var frames: SpectralFrames
    private var features: FeatureNormalizer
    private var state: DeepFilterNetEncoder.State
    private var pending: [Float] = []
    /// Sum of the local SNR over hops with sound (mean square ≥ 1e-7), and their count.
    public private(set) var sum: Double = 0
    public private(set) var hopCount = 0

    public init(weights: DeepFilterNetWeights) throws {
        encoder = try DeepFilterNetEncoder(weights: weights, configuration: configuration)
        frames = SpectralFrames(fftSize: configuration.fftSize, hopSize: configuration.hopSize)
        let widths = erbBandWidths(sampleRate: configuration.sampleRate, fftSize: configuration.fftSize,
                                   bandCount: configuration.erbBandCount, minimumBins: configuration.minimumBinsPerBand)
        features = FeatureNormalizer(bandWidths: widths, deepFilterBins: configuration.deepFilterBinCount,
                                     alpha: configuration.normalizationAlpha)
        state = encoder.initialState()
    }

    /// The mean local SNR (dB) over hops with sound so far, or `nil` if there were none.
    public var meanDecibels: Double? { hopCount > 0 ? sum / Double(hopCount) : nil }

    /// Measures the next samples.
    public func measure(_ samples: [Float]) {
        pending.append(contentsOf: samples)
        let hop = configuration.hopSize
        let count = pending.count / hop
        guard count > 0 else { return }
        let block = pending[0..<(count * hop)]
        let spectra = frames.analyze(block)
        var erb: [Float] = [], complex: [Float] = []
        for spectrum in spectra { features.append(spectrum, erb: &erb, complex: &complex) }
        let snr = encoder(erbFeatures: Tensor(shape: [count, 1, 32], values: erb),
                          spectrumFeatures: Tensor(shape: [count, 2, 96], values: complex), state: &state).localSNR.scalars
        for index in 0..<count {
            var energy: Float = 0
            for x in block[(index * hop)..<((index + 1) * hop)] { energy += x * x }
            if energy / Float(hop) >= 1e-7 {
                sum += Double(snr[index])
                hopCount += 1
            }
        }
        pending.removeFirst(count * hop)
    }
}
