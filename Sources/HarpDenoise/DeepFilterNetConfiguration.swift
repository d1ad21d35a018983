import Foundation

/// DeepFilterNet3's signal and model sizes (`config.ini` [df] and [deepfilternet] of the
/// published model, stored in the weights file's `config` metadata).
///
/// ref: Rikorose/DeepFilterNet libDF/src/tract.rs (`DfTract::new`).
public struct DeepFilterNetConfiguration: Sendable, Equatable {
    /// Audio rate the model works at (Hz).
    public var sampleRate = 48000
    /// FFT and window length (samples).
    public var fftSize = 960
    /// Hop between frames (samples); also the frame `process` consumes.
    public var hopSize = 480
    /// ERB bands of the gain decoder.
    public var erbBandCount = 32
    /// Lowest bins filtered by the deep filter.
    public var deepFilterBinCount = 96
    /// Taps of the deep filter (frames).
    public var deepFilterOrder = 5
    /// Future frames the deep filter and the convolutions look at.
    public var lookahead = 2
    /// Minimum FFT bins per ERB band.
    public var minimumBinsPerBand = 2
    /// Time constant of the feature normalisation (seconds).
    public var normalizationTau: Float = 1
    /// Local-SNR range of the encoder's output (dB).
    public var localSNRMinimum: Float = -15
    public var localSNRMaximum: Float = 35

    public init() {}

    /// FFT bins: `fftSize / 2 + 1`.
    public var binCount: Int { fftSize / 2 + 1 }

    /// Samples between input and the output that corresponds to it: one window minus a hop,
    /// plus the lookahead (1440 at 48 kHz).
    public var delaySamples: Int { fftSize - hopSize + lookahead * hopSize }

    /// Smoothing factor of the exponential mean normalisation, `exp(-hop / (sr · tau))` rounded as
    /// libDF does (to the first precision, from 3 decimals, that makes it < 1): 0.99 here.
    ///
    /// ref: libDF/src/tract.rs `calc_norm_alpha`.
    public var normalizationAlpha: Float {
        let alpha = Float(Foundation.exp(-Double(hopSize) / Double(sampleRate) / Double(normalizationTau)))
        var precision: Float = 1000
        var rounded: Float = 1
        while rounded >= 1 {
            rounded = (alpha * precision).rounded() / precision
            precision *= 10
        }
        return rounded
    }
}
