import Foundation
import HarpTensor

/// Named tensors read from a JSON fixture file, the format `tools/make_op_fixtures.py` writes:
///
/// ```json
/// { "format": "harp-json-tensors", "version": 1,
///   "tensors": { "add#0/input0": { "shape": [2, 3], "values": [0.5, …] }, … } }
/// ```
///
/// Values are Float32 numbers printed with the shortest repr that round-trips, row-major. JSON is
/// used (rather than `.npy`/safetensors) so test helpers need nothing but Foundation.
public struct JSONFixtures: Sendable {
    public struct Entry: Codable, Sendable {
        public var shape: [Int]
        public var values: [Float]
    }

    struct File: Codable {
        var format: String
        var version: Int
        var tensors: [String: Entry]
    }

    public let entries: [String: Entry]

    /// Reads and validates `url`.
    public init(contentsOf url: URL) throws {
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        guard file.format == "harp-json-tensors", file.version == 1 else {
            throw FixtureError.unsupported("\(url.lastPathComponent): format \(file.format) v\(file.version)")
        }
        for (name, entry) in file.tensors where Shape.count(entry.shape) != entry.values.count {
            throw FixtureError.unsupported("\(name): \(entry.values.count) values for shape \(entry.shape)")
        }
        entries = file.tensors
    }

    /// The tensor called `name`, or `nil` when absent.
    public func tensor(_ name: String) -> Tensor? {
        entries[name].map { Tensor(shape: $0.shape, values: $0.values) }
    }

    /// The tensor called `name`; throws when absent.
    public func require(_ name: String) throws -> Tensor {
        guard let tensor = tensor(name) else { throw FixtureError.missing(name) }
        return tensor
    }

    public enum FixtureError: Error, CustomStringConvertible {
        case missing(String)
        case unsupported(String)
        public var description: String {
            switch self {
            case .missing(let name): "fixture tensor \(name) is missing"
            case .unsupported(let detail): "unsupported fixture: \(detail)"
            }
        }
    }
}
