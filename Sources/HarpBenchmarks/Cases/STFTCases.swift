import HarpDSP
import HarpTensor

/// A magnitude STFT (window 2048, hop 256, periodic Hann, centred with reflect padding) of 2^17
/// samples, summed and back-propagated to the signal — the core of a multi-resolution spectral
/// loss. Its peak memory is measured too.
enum STFTCases {
    static let sampleCount = 1 << 17, windowLength = 2048, hop = 256

    static var all: [EngineBenchmarkCase] {
        [
            EngineBenchmarkCase(name: "stft 2048/256 of 2^17 |X| sum fwd+bwd", family: "stft",
                                shapes: "[1, 131072], window 2048, hop 256, centre reflect → [1, 513, 1025]",
                                measuresPeakMemory: true) {
                var generator = RandomGenerator(seed: 10)
                let signal = Tensor.normal([1, sampleCount], generator: &generator, requiresGradient: true)
                let window = Windows.hann(windowLength)
                let frameCount = 1 + sampleCount / hop
                return {
                    signal.zeroGradient()
                    let padded = signal.padded(alongAxis: 1, before: windowLength / 2, after: windowLength / 2, mode: .reflect)
                    let spectrum = framedSpectrum(padded, window: window, hop: hop, frameCount: frameCount)
                    complexMagnitude(spectrum).sum().backward()
                }
            },
        ]
    }
}
