import HarpTensor

/// rfft and irfft of 32 rows of 2^18 points (raw FFTW beside them comes from `RawLibraryReferences`).
enum FFTCases {
    static let length = 1 << 18, rowCount = 32

    static var all: [EngineBenchmarkCase] {
        [
            EngineBenchmarkCase(name: "rfft 32×2^18", family: "fft", shapes: "[32, 262144] → [32, 131073, 2]") {
                var generator = RandomGenerator(seed: 8)
                let signal = Tensor.normal([rowCount, length], generator: &generator)
                return { consume(signal.rfft()) }
            },
            EngineBenchmarkCase(name: "irfft 32×2^18", family: "fft", shapes: "[32, 131073, 2] → [32, 262144]") {
                var generator = RandomGenerator(seed: 9)
                let spectrum = Tensor.normal([rowCount, length], generator: &generator).rfft()
                return { consume(spectrum.irfft(length: length)) }
            },
        ]
    }
}
