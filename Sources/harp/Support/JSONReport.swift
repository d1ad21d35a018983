import Foundation

/// Turns benchmark results into the JSON objects `harp bench` prints.
enum JSONReport {
    /// `value` encoded and read back as a JSON object (dictionaries, arrays, numbers, strings).
    static func object<T: Encodable>(_ value: T) throws -> Any {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(value))
    }
}
