import Foundation
import HarpTensor
#if canImport(Glibc)
import Glibc
#endif

/// Encode and decode times of one codec on random audio, and this process's peak memory:
/// the Harp side of `harp bench codec` (run in its own process per model).
public struct CodecTiming: Encodable {
    public struct Seconds: Encodable {
        public var median: Double
        public var min: Double
        public var max: Double
    }

    public var model: String
    public var secondsOfAudio: Double
    public var bandwidth: Double
    public var codesShape: [Int]
    public var encodeSeconds: Seconds
    public var decodeSeconds: Seconds
    public var peakRSSBytes: Double

    enum CodingKeys: String, CodingKey {
        case model, bandwidth
        case secondsOfAudio = "seconds_of_audio"
        case codesShape = "codes_shape"
        case encodeSeconds = "encode_seconds"
        case decodeSeconds = "decode_seconds"
        case peakRSSBytes = "peak_rss_bytes"
    }

    /// Loads the codec in `folder` and times `repeats` encodes and decodes of `seconds` of
    /// seeded noise (after one untimed run of each).
    public static func measure(folder: URL, seconds: Double, bandwidth: Double?, repeats: Int) throws -> CodecTiming {
        let codec = try CodecLoader.load(folder: folder)
        var generator = RandomGenerator(seed: 1)
        let audio = Tensor.normal([codec.channelCount, Int(Double(codec.sampleRate) * seconds)],
                                  generator: &generator) * 0.1
        let encoded = try codec.encode(audio, bandwidth: bandwidth)
        _ = try codec.decode(encoded)
        let encodeTimes = try (0..<repeats).map { _ in try time { _ = try codec.encode(audio, bandwidth: bandwidth) } }
        let decodeTimes = try (0..<repeats).map { _ in try time { _ = try codec.decode(encoded) } }
        return CodecTiming(model: codec.identity.name, secondsOfAudio: seconds, bandwidth: encoded.bandwidth,
                           codesShape: encoded.codes.shape, encodeSeconds: summary(encodeTimes),
                           decodeSeconds: summary(decodeTimes), peakRSSBytes: peakResidentBytes())
    }

    /// The JSON object `harp bench codec` reads back.
    public func json() throws -> String {
        String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
    }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func summary(_ times: [Double]) -> Seconds {
        let sorted = times.sorted()
        return Seconds(median: sorted[sorted.count / 2], min: sorted.first ?? 0, max: sorted.last ?? 0)
    }

    static func peakResidentBytes() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) * 1024
    }
}
