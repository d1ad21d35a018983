import Foundation

/// ITU-R BS.1770-4 integrated loudness (LUFS), streaming.
///
/// Each channel is K-weighted (a +4 dB high shelf at 1.5 kHz, then a high pass at 38 Hz, both
/// designed for the actual sample rate as pyloudnorm does), its mean square is taken over 400 ms
/// blocks with 75 % overlap, channels are summed with weights 1, 1, 1, 1.41, 1.41 (by channel index,
/// as pyloudnorm does; channels past the fifth weigh 1), and blocks are gated at −70 LUFS absolute,
/// then −10 LU below the mean of the surviving blocks:
/// `L = −0.691 + 10·log10 Σ_c G_c · mean_j z_cj`.
///
/// Memory grows by one number per channel per 100 ms of audio. Non-finite samples count as silence.
// ref: ITU-R BS.1770-4 (2015), §2 and Annex 1; block bounds and rounding follow
//      pyloudnorm meter.py (Steinmetz & Reiss, 2021) so results agree with it.
public struct LoudnessMeter: Sendable {
    public let sampleRate: Int
    public let channelCount: Int

    private static let blockSeconds = 0.4
    private static let stepFraction = 0.25
    private static let absoluteGateLUFS = -70.0
    private static let relativeGateLU = -10.0

    private var shelves: [Biquad]
    private var highPasses: [Biquad]
    /// Energy (sum of squares) of each completed 100 ms step, per channel: `[step][channel]`.
    private var stepEnergies: [[Double]] = []
    private var currentEnergy: [Double]
    private var frameCount = 0
    private var nextStepBoundary: Int

    public init(sampleRate: Int, channelCount: Int) throws {
        try AudioFormat.validate(sampleRate: sampleRate)
        guard channelCount > 0 else { throw AudioError.invalidArgument("channelCount must be positive") }
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        shelves = Array(repeating: Biquad.highShelf(gainDecibels: 4, q: 1 / 2.0.squareRoot(),
                                                    frequencyHz: 1500, sampleRate: sampleRate),
                        count: channelCount)
        highPasses = Array(repeating: Biquad.highPass(q: 0.5, frequencyHz: 38, sampleRate: sampleRate),
                           count: channelCount)
        currentEnergy = Array(repeating: 0, count: channelCount)
        nextStepBoundary = 0
        nextStepBoundary = stepBoundary(1)
    }

    /// Feeds a chunk of interleaved audio.
    public mutating func process(_ buffer: AudioBuffer) {
        precondition(buffer.channelCount == channelCount, "channel count does not match the meter")
        var start = 0
        while start < buffer.frameCount {
            while frameCount == nextStepBoundary { closeStep() }
            // Filter up to the next step boundary, one channel at a time.
            let end = min(buffer.frameCount, start + (nextStepBoundary - frameCount))
            for channel in 0..<channelCount {
                accumulate(buffer.samples, channel: channel, frames: start..<end)
            }
            frameCount += end - start
            start = end
        }
    }

    private mutating func accumulate(_ samples: [Float], channel: Int, frames: Range<Int>) {
        var shelf = shelves[channel]
        var highPass = highPasses[channel]
        var energy = currentEnergy[channel]
        samples.withUnsafeBufferPointer { samples in
            for frame in frames {
                let sample = samples[frame * channelCount + channel]
                let weighted = highPass.process(shelf.process(sample.isFinite ? Double(sample) : 0))
                energy += weighted * weighted
            }
        }
        shelves[channel] = shelf
        highPasses[channel] = highPass
        currentEnergy[channel] = energy
    }

    /// Integrated loudness of everything fed so far, in LUFS; −∞ when no block passes the gates
    /// (silence, or audio shorter than one block).
    public var integratedLoudness: Double {
        let blocks = blockMeanSquares()
        let weights = (0..<channelCount).map(Self.channelWeight)
        let blockLoudness = blocks.map { Self.loudness(of: $0, weights: weights) }
        let aboveAbsolute = blocks.indices.filter { blockLoudness[$0] >= Self.absoluteGateLUFS }
        guard !aboveAbsolute.isEmpty else { return -.infinity }
        let relativeGate = Self.loudness(of: mean(of: aboveAbsolute, in: blocks), weights: weights)
            + Self.relativeGateLU
        let gated = blocks.indices.filter {
            blockLoudness[$0] > relativeGate && blockLoudness[$0] > Self.absoluteGateLUFS
        }
        guard !gated.isEmpty else { return -.infinity }
        return Self.loudness(of: mean(of: gated, in: blocks), weights: weights)
    }

    /// Measures a whole buffer.
    public static func integratedLoudness(of buffer: AudioBuffer) throws -> Double {
        var meter = try LoudnessMeter(sampleRate: buffer.sampleRate, channelCount: buffer.channelCount)
        meter.process(buffer)
        return meter.integratedLoudness
    }

    // MARK: - Blocks

    /// First frame of 100 ms step `index`; block `j` spans steps `j ..< j + 4`.
    private func stepBoundary(_ index: Int) -> Int {
        Int(Self.blockSeconds * (Double(index) * Self.stepFraction) * Double(sampleRate))
    }

    private mutating func closeStep() {
        stepEnergies.append(currentEnergy)
        currentEnergy = Array(repeating: 0, count: channelCount)
        nextStepBoundary = stepBoundary(stepEnergies.count + 1)
    }

    /// Mean square per channel of every 400 ms block, `[block][channel]`. The block count is
    /// `round((T − 0.4) / 0.1) + 1` for `T` seconds (half to even, like numpy); the last block
    /// may run past the end, and still divides by the full block length.
    private func blockMeanSquares() -> [[Double]] {
        let durationSeconds = Double(frameCount) / Double(sampleRate)
        let blockCount = Int(((durationSeconds - Self.blockSeconds) / (Self.blockSeconds * Self.stepFraction))
            .rounded(.toNearestOrEven)) + 1
        guard blockCount > 0 else { return [] }
        let steps = stepEnergies + [currentEnergy]
        let blockFrames = Self.blockSeconds * Double(sampleRate)
        return (0..<blockCount).map { block in
            (0..<channelCount).map { channel in
                let energy = (block..<block + 4).reduce(0.0) { sum, step in
                    sum + (step < steps.count ? steps[step][channel] : 0)
                }
                return energy / blockFrames
            }
        }
    }

    private func mean(of blockIndices: [Int], in blocks: [[Double]]) -> [Double] {
        (0..<channelCount).map { channel in
            blockIndices.reduce(0.0) { $0 + blocks[$1][channel] } / Double(blockIndices.count)
        }
    }

    private static func loudness(of meanSquares: [Double], weights: [Double]) -> Double {
        let weighted = zip(meanSquares, weights).reduce(0.0) { $0 + $1.0 * $1.1 }
        return weighted > 0 ? -0.691 + 10 * log10(weighted) : -.infinity
    }

    /// BS.1770 channel weight: 1.41 (+1.5 dB) for the surround channels at index 3 and 4.
    private static func channelWeight(_ channel: Int) -> Double {
        channel == 3 || channel == 4 ? 1.41 : 1.0
    }
}
