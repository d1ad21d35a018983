/// Band-limited sample-rate conversion between any two integer rates, streaming.
///
/// A polyphase windowed-sinc (Kaiser) filter: with `L/M = outputRate/inputRate` in lowest terms,
/// output `n` sits at input time `n·M/L`, and is `Σ_j x[j] · h(n·M/L − j)` over the kernel's
/// support; the `L` phases of `h` are tabulated once. Output `n` is aligned with input time
/// `n·M/L` (no delay), and a whole signal of `N` frames becomes `ceil(N·L/M)` frames, as
/// `scipy.signal.resample_poly` does.
///
/// Default quality: passband flat (< 0.001 dB ripple) to 0.9 × the lower Nyquist frequency,
/// stopband from 1.0 × with ≥ 100 dB design attenuation (see tools/README.md for measurements).
///
/// Feed chunks with `process(_:)`, then call `flush()` once to get the tail.
public final class Resampler {
    public let inputSampleRate: Int
    public let outputSampleRate: Int
    public let channelCount: Int
    /// Upsampling factor `L` and downsampling factor `M`, in lowest terms.
    public let upFactor: Int
    public let downFactor: Int

    private let kernel: KaiserSincKernel
    private let phases: PolyphaseTable?
    /// Input frames not yet consumed, interleaved; `history[0]` is input frame `historyStart`.
    private var history: [Float]
    private var historyStart: Int
    private var inputFrameCount = 0
    private var nextOutputIndex = 0
    private var isFlushed = false

    /// Most tabulated coefficients (16 MB); rate pairs needing more compute the kernel per output.
    private static let maximumTableSize = 4 << 20

    /// - Parameters:
    ///   - passbandFraction: end of the flat passband, as a fraction of the lower rate's Nyquist frequency.
    ///   - stopbandAttenuationDecibels: design attenuation from 1.0 × the lower Nyquist frequency up.
    public init(inputSampleRate: Int, outputSampleRate: Int, channelCount: Int,
                passbandFraction: Double = 0.9, stopbandAttenuationDecibels: Double = 100) throws {
        try AudioFormat.validate(sampleRate: inputSampleRate)
        try AudioFormat.validate(sampleRate: outputSampleRate)
        guard channelCount > 0 else { throw AudioError.invalidArgument("channelCount must be positive") }
        guard (0.5..<1).contains(passbandFraction), stopbandAttenuationDecibels >= 20 else {
            throw AudioError.invalidArgument("passbandFraction must be in [0.5, 1) and attenuation ≥ 20 dB")
        }
        self.inputSampleRate = inputSampleRate
        self.outputSampleRate = outputSampleRate
        self.channelCount = channelCount
        let divisor = Self.greatestCommonDivisor(inputSampleRate, outputSampleRate)
        upFactor = outputSampleRate / divisor
        downFactor = inputSampleRate / divisor
        kernel = KaiserSincKernel(inputSampleRate: inputSampleRate, outputSampleRate: outputSampleRate,
                                  passbandFraction: passbandFraction, stopbandFraction: 1.0,
                                  stopbandAttenuationDecibels: stopbandAttenuationDecibels)
        let tableSize = upFactor * 2 * kernel.halfWidth
        phases = tableSize <= Self.maximumTableSize ? PolyphaseTable(kernel: kernel, phaseCount: upFactor) : nil
        // Frames before the start are silence: keep `halfWidth` zeros of history.
        history = [Float](repeating: 0, count: kernel.halfWidth * channelCount)
        historyStart = -kernel.halfWidth
    }

    /// Whether the rates are equal, so samples pass through unchanged.
    public var isIdentity: Bool { upFactor == 1 && downFactor == 1 }

    /// Taps per output sample (per channel).
    public var tapCount: Int { 2 * kernel.halfWidth }

    /// Resamples a chunk; returns the output frames that are now complete (maybe none).
    public func process(_ buffer: AudioBuffer) -> AudioBuffer {
        precondition(!isFlushed, "process after flush")
        precondition(buffer.channelCount == channelCount && buffer.sampleRate == inputSampleRate,
                     "buffer layout does not match the resampler")
        inputFrameCount += buffer.frameCount
        // Equal rates need no filtering: pass the samples through exactly.
        if isIdentity { return buffer }
        history.append(contentsOf: buffer.samples)
        return produce(upTo: Int.max)
    }

    /// Ends the stream: returns the remaining output, `ceil(N·L/M)` frames in total for `N` input frames.
    public func flush() -> AudioBuffer {
        precondition(!isFlushed, "flush called twice")
        isFlushed = true
        if isIdentity { return .empty(channelCount: channelCount, sampleRate: outputSampleRate) }
        // Frames past the end are silence; `halfWidth` of them complete every remaining output.
        history.append(contentsOf: [Float](repeating: 0, count: kernel.halfWidth * channelCount))
        let totalOutput = (inputFrameCount * upFactor + downFactor - 1) / downFactor
        return produce(upTo: totalOutput)
    }

    /// Resamples a whole buffer in one call.
    public static func resample(_ buffer: AudioBuffer, to outputSampleRate: Int) throws -> AudioBuffer {
        let resampler = try Resampler(inputSampleRate: buffer.sampleRate, outputSampleRate: outputSampleRate,
                                      channelCount: buffer.channelCount)
        var output = resampler.process(buffer)
        output.append(resampler.flush())
        return output
    }

    /// Computes outputs while their input support is buffered, then drops history no longer needed.
    private func produce(upTo outputLimit: Int) -> AudioBuffer {
        let halfWidth = kernel.halfWidth
        let availableEnd = historyStart + history.count / channelCount
        var output = [Float]()
        while nextOutputIndex < outputLimit {
            let position = nextOutputIndex * downFactor
            let center = position / upFactor
            guard center + halfWidth < availableEnd else { break }
            let phase = position - center * upFactor
            let firstFrame = center - halfWidth + 1 - historyStart
            appendOutputFrame(firstFrame: firstFrame, phase: phase, to: &output)
            nextOutputIndex += 1
        }
        discardConsumedHistory()
        return AudioBuffer(interleaved: output, channelCount: channelCount, sampleRate: outputSampleRate)
    }

    /// One output frame: the dot product of `2·halfWidth` buffered frames with the phase's taps.
    private func appendOutputFrame(firstFrame: Int, phase: Int, to output: inout [Float]) {
        let taps = phases?.taps(phase: phase) ?? directTaps(phase: phase)
        let channelCount = self.channelCount
        history.withUnsafeBufferPointer { input in
            taps.withUnsafeBufferPointer { taps in
                let base = firstFrame * channelCount
                for channel in 0..<channelCount {
                    var sum: Float = 0
                    var index = base + channel
                    for tap in taps {
                        sum += input[index] * tap
                        index += channelCount
                    }
                    output.append(sum)
                }
            }
        }
    }

    /// Taps for a phase computed on the spot, for rate pairs whose table would be too large.
    private func directTaps(phase: Int) -> ArraySlice<Float> {
        PolyphaseTable.taps(kernel: kernel, phase: phase, phaseCount: upFactor)[...]
    }

    private func discardConsumedHistory() {
        let nextCenter = (nextOutputIndex * downFactor) / upFactor
        let firstNeeded = nextCenter - kernel.halfWidth + 1
        let dropFrames = min(firstNeeded - historyStart, history.count / channelCount)
        // Compact only once enough has accumulated, to keep the cost amortised.
        guard dropFrames > 0, dropFrames * 2 >= history.count / channelCount || dropFrames > 8192 else { return }
        history.removeFirst(dropFrames * channelCount)
        historyStart += dropFrames
    }

    static func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
        b == 0 ? a : greatestCommonDivisor(b, a % b)
    }
}
