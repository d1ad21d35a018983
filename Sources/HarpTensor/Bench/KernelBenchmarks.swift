import CBLAS
import CFFTW
import Foundation

/// Micro-benchmarks of the kernel layer, with the raw library call timed beside each wrapper
/// where there is one. Returns figures; printing is the caller's business.
///
/// Meant for release builds; shapes are those of the audio models Harp runs.
public enum KernelBenchmarks {
    /// One measured case: the median wall time of Harp's kernel and, when measured, of the
    /// reference (raw OpenBLAS / FFTW) doing the same work.
    public struct Timing: Sendable, Codable {
        public let name: String
        public let seconds: Double
        public let referenceName: String?
        public let referenceSeconds: Double?

        /// Harp time / reference time (1.0 = parity).
        public var ratio: Double? { referenceSeconds.map { seconds / $0 } }
    }

    /// Groups of cases by name; `run(matching:)` selects groups whose name contains a string.
    static let groups: [(name: String, run: (Int) -> [Timing])] = [
        ("sgemm", { repeats in [sgemm(size: 512, repeats: 8 * repeats), sgemm(size: 2048, repeats: repeats)] }),
        ("conv1d k7", { repeats in
            convolution(name: "conv1d [4,64,16384] k7 64→64", Conv1dGeometry(
                batchCount: 4, inputChannelCount: 64, outputChannelCount: 64, inputLength: 16384,
                kernelSize: 7, paddingLeft: 3, paddingRight: 3), repeats: repeats)
        }),
        ("conv1d k3 wide", { repeats in
            convolution(name: "conv1d [1,512,2048] k3 512→512", Conv1dGeometry(
                batchCount: 1, inputChannelCount: 512, outputChannelCount: 512, inputLength: 2048,
                kernelSize: 3, paddingLeft: 1, paddingRight: 1), repeats: repeats)
        }),
        ("conv1d stride4", { repeats in
            convolution(name: "conv1d [4,64,16384] k8 s4 64→128", Conv1dGeometry(
                batchCount: 4, inputChannelCount: 64, outputChannelCount: 128, inputLength: 16384,
                kernelSize: 8, stride: 4, paddingLeft: 2, paddingRight: 2), repeats: repeats)
        }),
        ("convT1d stride4", { repeats in
            transposedConvolution(name: "convT1d [4,128,4096] k8 s4 128→64", ConvTranspose1dGeometry(
                batchCount: 4, inputChannelCount: 128, outputChannelCount: 64, inputLength: 4096,
                kernelSize: 8, stride: 4, paddingLeft: 2, paddingRight: 2), repeats: repeats)
        }),
        ("fft", { repeats in fft(n: 1 << 18, batchCount: 32, repeats: repeats) }),
    ]

    /// Runs the case groups whose name contains `filter` (all when `nil`); `repeats` timed runs
    /// each after one warm-up, reporting the median.
    public static func run(repeats: Int = 5, matching filter: String? = nil) -> [Timing] {
        Parallel.configureBLASOnce()
        return groups.filter { filter == nil || $0.name.contains(filter!) }.flatMap { $0.run(repeats) }
    }

    /// The timings as a JSON array.
    public static func json(_ timings: [Timing]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(timings)) ?? Data(), as: UTF8.self)
    }

    /// Median wall time of `repeats` runs of `body` after one warm-up run.
    public static func medianSeconds(repeats: Int, warmUp: Bool = true, _ body: () -> Void) -> Double {
        if warmUp { body() }
        let clock = ContinuousClock()
        let samples = (0..<max(1, repeats)).map { _ -> Double in
            let elapsed = clock.measure(body)
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        }.sorted()
        return samples[samples.count / 2]
    }

    /// Medians of `harp` and `reference` timed alternately, so load from other processes hits
    /// both alike.
    public static func interleavedMedianSeconds(
        repeats: Int, _ harp: () -> Void, reference: () -> Void
    ) -> (harp: Double, reference: Double) {
        harp()
        reference()
        var harpSamples: [Double] = [], referenceSamples: [Double] = []
        for _ in 0..<max(1, repeats) {
            harpSamples.append(medianSeconds(repeats: 1, warmUp: false, harp))
            referenceSamples.append(medianSeconds(repeats: 1, warmUp: false, reference))
        }
        return (harpSamples.sorted()[harpSamples.count / 2], referenceSamples.sorted()[referenceSamples.count / 2])
    }

    static func randomBuffer(_ count: Int, seed: UInt64) -> UnsafeMutablePointer<Float> {
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)
        var state = seed
        for index in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            buffer[index] = Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
        }
        return buffer
    }

    static func sgemm(size n: Int, repeats: Int) -> Timing {
        let a = randomBuffer(n * n, seed: 1), b = randomBuffer(n * n, seed: 2), c = randomBuffer(n * n, seed: 3)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        let (harp, raw) = interleavedMedianSeconds(repeats: repeats) {
            MatrixKernels.sgemm(m: n, n: n, k: n, a: a, b: b, c: c)
        } reference: {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n),
                        1, a, Int32(n), b, Int32(n), 0, c, Int32(n))
        }
        return Timing(name: "sgemm \(n)²", seconds: harp, referenceName: "cblas_sgemm", referenceSeconds: raw)
    }
}
