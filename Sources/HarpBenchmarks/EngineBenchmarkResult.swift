/// The figures of one case: Harp's median time and, when measured, the raw library's and the
/// reference's, with the ratios the targets are stated in.
public struct EngineBenchmarkResult: Encodable, Sendable {
    public let name: String
    public let family: String
    public let shapes: String
    /// Median seconds per operation in Harp.
    public var harpSeconds: Double
    /// Timed runs the median is taken over.
    public var repeats: Int
    /// Raw `cblas_sgemm` on the same shapes (matmul cases), from `KernelBenchmarks`.
    public var rawBLASSeconds: Double?
    /// Raw FFTW many-plan with the same threads (FFT cases), from `KernelBenchmarks`.
    public var rawFFTWSeconds: Double?
    /// Harp's kernel alone, timed beside the raw library call (no tensor allocation).
    public var harpKernelSeconds: Double?
    /// PyTorch's median seconds per operation, measured in the same run.
    public var pytorchSeconds: Double?
    public var pytorchRepeats: Int?
    public var harpPeakMemory: PeakMemory?
    public var pytorchPeakMemory: PeakMemory?

    /// PyTorch time / Harp time: above 1, Harp is faster. Target ≥ 1.
    public var ratio: Double? { pytorchSeconds.map { $0 / harpSeconds } }
    /// Raw library time / Harp time (targets: matmul ≥ 0.9, FFT ≥ 1/1.5).
    public var rawRatio: Double? { (rawBLASSeconds ?? rawFFTWSeconds).map { $0 / harpSeconds } }

    init(name: String, family: String, shapes: String, harpSeconds: Double, repeats: Int) {
        self.name = name
        self.family = family
        self.shapes = shapes
        self.harpSeconds = harpSeconds
        self.repeats = repeats
    }

    enum CodingKeys: String, CodingKey {
        case name, family, shapes, repeats, ratio
        case harpSeconds = "harp_seconds"
        case rawBLASSeconds = "raw_blas_seconds"
        case rawFFTWSeconds = "raw_fftw_seconds"
        case harpKernelSeconds = "harp_kernel_seconds"
        case pytorchSeconds = "pytorch_seconds"
        case pytorchRepeats = "pytorch_repeats"
        case harpPeakMemory = "harp_peak_memory"
        case pytorchPeakMemory = "pytorch_peak_memory"
        case rawRatio = "raw_over_harp"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(family, forKey: .family)
        try container.encode(shapes, forKey: .shapes)
        try container.encode(harpSeconds, forKey: .harpSeconds)
        try container.encode(repeats, forKey: .repeats)
        try container.encodeIfPresent(rawBLASSeconds, forKey: .rawBLASSeconds)
        try container.encodeIfPresent(rawFFTWSeconds, forKey: .rawFFTWSeconds)
        try container.encodeIfPresent(harpKernelSeconds, forKey: .harpKernelSeconds)
        try container.encodeIfPresent(rawRatio, forKey: .rawRatio)
        try container.encodeIfPresent(pytorchSeconds, forKey: .pytorchSeconds)
        try container.encodeIfPresent(pytorchRepeats, forKey: .pytorchRepeats)
        try container.encodeIfPresent(ratio, forKey: .ratio)
        try container.encodeIfPresent(harpPeakMemory, forKey: .harpPeakMemory)
        try container.encodeIfPresent(pytorchPeakMemory, forKey: .pytorchPeakMemory)
    }
}
