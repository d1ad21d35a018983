import Foundation

/// Streaming sample statistics: peak, RMS and a count of non-finite samples.
///
/// Feed chunks with `accumulate(_:)`; non-finite samples are counted and left out of
/// peak and RMS, so one bad sample does not hide the level of the rest.
public struct AudioStatistics: Sendable {
    public private(set) var sampleCount = 0
    public private(set) var frameCount = 0
    /// Largest absolute finite sample value (linear, full scale = 1).
    public private(set) var peak: Float = 0
    public private(set) var nonFiniteSampleCount = 0
    /// First frame holding a NaN or ±Inf, if any.
    public private(set) var firstNonFiniteFrame: Int?
    private var sumOfSquares: Double = 0

    public init() {}

    /// Adds a chunk of interleaved samples.
    public mutating func accumulate(_ buffer: AudioBuffer) {
        let channelCount = buffer.channelCount
        buffer.samples.withUnsafeBufferPointer { samples in
            var chunkSquares: Double = 0
            for (index, sample) in samples.enumerated() {
                guard sample.isFinite else {
                    nonFiniteSampleCount += 1
                    if firstNonFiniteFrame == nil { firstNonFiniteFrame = frameCount + index / channelCount }
                    continue
                }
                peak = max(peak, abs(sample))
                chunkSquares += Double(sample) * Double(sample)
            }
            sumOfSquares += chunkSquares
        }
        sampleCount += buffer.samples.count
        frameCount += buffer.frameCount
    }

    /// Root mean square over all samples of all channels (linear).
    public var rms: Double { sampleCount == 0 ? 0 : (sumOfSquares / Double(sampleCount)).squareRoot() }

    /// Peak in dB relative to full scale; −∞ for silence.
    public var peakDecibels: Double { Self.decibels(Double(peak)) }

    /// RMS in dB relative to full scale (a full-scale square wave is 0 dBFS, a sine −3.01 dBFS).
    public var rmsDecibels: Double { Self.decibels(rms) }

    static func decibels(_ amplitude: Double) -> Double {
        amplitude > 0 ? 20 * log10(amplitude) : -.infinity
    }
}
