import Foundation

/// The JSON object `tools/bench_engine.py` prints: `{"torch_version", "threads", "cases": {name:
/// {"seconds", "repeats", "peak_memory"?}}}`.
public struct EngineBenchmarkReference: Decodable, Sendable {
    public struct Figures: Decodable, Sendable {
        public let seconds: Double
        public let repeats: Int
        public let peakMemory: PeakMemory?

        enum CodingKeys: String, CodingKey {
            case seconds, repeats
            case peakMemory = "peak_memory"
        }
    }

    public let torchVersion: String
    public let threads: Int
    public let cases: [String: Figures]

    enum CodingKeys: String, CodingKey {
        case threads, cases
        case torchVersion = "torch_version"
    }

    public init(json: Data) throws {
        self = try JSONDecoder().decode(Self.self, from: json)
    }
}
