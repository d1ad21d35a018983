import Foundation
import HarpTensor

/// DeepFilterNet3 speech enhancement at 48 kHz, streaming: feed any number of samples, get back
/// as many enhanced samples as whole hops (480 samples) have come in, delayed by
/// `configuration.delaySamples` (1440). Processing in pieces of any size gives the same output as
/// processing the whole signal at once.
///
/// Per hop, as libDF's runtime does it: STFT frame → ERB and complex features → encoder →
/// ERB gains applied to the frame two hops back (the lookahead), whose lowest 96 bins are replaced
/// by the deep filter (5 complex taps over the frames from two back to two ahead) → optional
/// post filter → attenuation limit (mix back `10^(−limit/20)` of the noisy frame) → overlap-add.
/// With libDF's C-API thresholds (−15 / 35 / 35 dB, the local SNR's own range) both stages run on
/// every frame. (libDF also counts hops whose mean square is below 1e-7 and would output silence
/// after more than 5 of them, but it resets that count whenever gains are applied, which these
/// thresholds make every hop: digital silence is processed like any other input, as here.)
///
/// ref: Rikorose/DeepFilterNet libDF/src/tract.rs `DfTract::process`, `df`; libDF/src/lib.rs
/// `post_filter`; libDF/src/capi.rs (thresholds).
public final class DeepFilterNet3 {
    public let configuration: DeepFilterNetConfiguration
    /// Noise attenuation limit in dB (`nil`: none). libDF's `atten_lim_db`.
    public let attenuationLimitDecibels: Float?
    /// Post-filter strength (0: off; libDF's default when on is 0.02).
    public let postFilterBeta: Float

    let encoder: DeepFilterNetEncoder
    let erbDecoder: ERBDecoder
    let deepFilterDecoder: DeepFilterDecoder
    let bandWidths: [Int]

    private var frames: SpectralFrames
    private var features: FeatureNormalizer
    private var encoderState: DeepFilterNetEncoder.State
    private var erbState: [Tensor]
    private var deepFilterState: DeepFilterDecoder.State
    /// The last `deepFilterOrder − 1` analysed spectra, oldest first.
    private var recentSpectra: [[Float]]
    private var pending: [Float] = []
    /// Sum of the local SNR (dB) over the hops enhanced so far (not those skipped as silence),
    /// and their count: the model's estimate of the input's SNR.
    public private(set) var localSNRSum: Double = 0
    public private(set) var enhancedHopCount = 0

    /// Loads the model.
    /// - Parameters:
    ///   - attenuationLimitDecibels: at most this much noise reduction (`nil` or ≥ 100: none).
    ///   - postFilterBeta: 0 for no post filter.
    public init(weights: DeepFilterNetWeights, attenuationLimitDecibels: Float? = nil,
                postFilterBeta: Float = 0) throws {
        guard postFilterBeta >= 0, postFilterBeta.isFinite else {
            throw DenoiseError.invalidArgument("the post-filter beta must be ≥ 0, got \(postFilterBeta)")
        }
        if let limit = attenuationLimitDecibels, !limit.isFinite {
            throw DenoiseError.invalidArgument("the attenuation limit must be a number of dB, got \(limit)")
        }
        let configuration = DeepFilterNetConfiguration()
        self.configuration = configuration
        self.attenuationLimitDecibels = attenuationLimitDecibels.flatMap { Swift.abs($0) >= 100 ? nil : Swift.abs($0) }
        self.postFilterBeta = postFilterBeta
        encoder = try DeepFilterNetEncoder(weights: weights, configuration: configuration)
        erbDecoder = try ERBDecoder(weights: weights)
        deepFilterDecoder = try DeepFilterDecoder(weights: weights)
        bandWidths = erbBandWidths(sampleRate: configuration.sampleRate, fftSize: configuration.fftSize,
                                   bandCount: configuration.erbBandCount,
                                   minimumBins: configuration.minimumBinsPerBand)
        frames = SpectralFrames(fftSize: configuration.fftSize, hopSize: configuration.hopSize)
        features = FeatureNormalizer(bandWidths: bandWidths, deepFilterBins: configuration.deepFilterBinCount,
                                     alpha: configuration.normalizationAlpha)
        encoderState = encoder.initialState()
        erbState = erbDecoder.initialState()
        deepFilterState = deepFilterDecoder.initialState()
        recentSpectra = Array(repeating: [Float](repeating: 0, count: 2 * configuration.binCount),
                              count: configuration.deepFilterOrder - 1)
    }

    /// The gain that mixes the noisy signal back in: `10^(−limit / 20)`, or `nil` for no limit.
    var noisyMix: Float? {
        guard let limit = attenuationLimitDecibels else { return nil }
        return limit < 0.01 ? 1 : Float(Foundation.pow(10.0, Double(-limit / 20)))
    }

    /// Enhances the next samples of a 48 kHz mono signal.
    /// - Returns: the enhanced samples for every whole hop received so far (delayed by
    ///   `configuration.delaySamples`) and the local SNR estimate of each of those hops (dB).
    public func process(_ samples: [Float]) -> (samples: [Float], localSNR: [Float]) {
        pending.append(contentsOf: samples)
        let hop = configuration.hopSize
        let hopCount = pending.count / hop
        guard hopCount > 0 else { return ([], []) }
        let (output, snr) = processRun(pending[0..<(hopCount * hop)])
        pending.removeFirst(hopCount * hop)
        return (output, snr)
    }

    /// Processes consecutive whole hops.
    private func processRun(_ samples: ArraySlice<Float>) -> ([Float], [Float]) {
        let spectra = frames.analyze(samples)
        let count = spectra.count
        let history = recentSpectra + spectra
        recentSpectra = Array(history.suffix(configuration.deepFilterOrder - 1))
        if noisyMix == 1 {
            // No reduction at all: the delayed input, without running the networks. (libDF returns
            // the current input frame there, undelayed; Harp keeps the delay so streams stay aligned.)
            let lookback = configuration.deepFilterOrder - 1 - configuration.lookahead
            return (frames.synthesize((0..<count).map { history[$0 + lookback] }),
                    Array(repeating: configuration.localSNRMaximum, count: count))
        }
        var erb: [Float] = [], complex: [Float] = []
        for spectrum in spectra { features.append(spectrum, erb: &erb, complex: &complex) }
        let encoded = encoder(erbFeatures: Tensor(shape: [count, 1, configuration.erbBandCount], values: erb),
                              spectrumFeatures: Tensor(shape: [count, 2, configuration.deepFilterBinCount], values: complex),
                              state: &encoderState)
        let gains = erbDecoder(encoded, state: &erbState).scalars
        let coefficients = deepFilterDecoder(encoded, state: &deepFilterState).scalars
        let enhanced = (0..<count).map { frame in
            enhance(frame: frame, history: history, gains: gains, coefficients: coefficients)
        }
        let localSNR = encoded.localSNR.scalars
        localSNRSum += localSNR.reduce(0) { $0 + Double($1) }
        enhancedHopCount += count
        return (frames.synthesize(enhanced), localSNR)
    }

    /// The enhanced spectrum of the frame `lookahead` hops before block frame `frame`.
    /// `history[frame + k]` is the spectrum `deepFilterOrder − 1 − k` hops before `frame`.
    private func enhance(frame: Int, history: [[Float]], gains: [Float], coefficients: [Float]) -> [Float] {
        let order = configuration.deepFilterOrder
        let dfBins = configuration.deepFilterBinCount
        let noisy = history[frame + order - 1 - configuration.lookahead]
        var output = noisy
        var bin = 0
        for (band, width) in bandWidths.enumerated() {
            let gain = gains[frame * bandWidths.count + band]
            for j in bin..<(bin + width) {
                output[2 * j] *= gain
                output[2 * j + 1] *= gain
            }
            bin += width
        }
        let base = frame * dfBins * 2 * order
        for f in 0..<dfBins {
            var re: Float = 0, im: Float = 0
            for k in 0..<order {
                let x = history[frame + k]
                let cr = coefficients[base + f * 2 * order + 2 * k]
                let ci = coefficients[base + f * 2 * order + 2 * k + 1]
                re += x[2 * f] * cr - x[2 * f + 1] * ci
                im += x[2 * f] * ci + x[2 * f + 1] * cr
            }
            output[2 * f] = re
            output[2 * f + 1] = im
        }
        if postFilterBeta > 0 { PostFilter.apply(noisy: noisy, enhanced: &output, beta: postFilterBeta) }
        if let mix = noisyMix {
            for i in output.indices { output[i] = output[i] * (1 - mix) + mix * noisy[i] }
        }
        return output
    }
}
