import Foundation

/// The settings that differ between two JSON configurations, as phrases a user can act on:
/// `learningRate is 0.0001 but the checkpoint was made with 0.001`.
enum ConfigurationDifference {
    static func between(saved: String, current: String) -> [String] {
        let old = flattened(parse(saved)), new = flattened(parse(current))
        var phrases: [String] = []
        for key in Set(old.keys).union(new.keys).sorted() {
            switch (old[key], new[key]) {
            case let (before?, now?) where before != now:
                phrases.append("\(key) is \(now) but the checkpoint was made with \(before)")
            case let (nil, now?):
                phrases.append("\(key) is \(now) but the checkpoint has no such setting")
            case let (before?, nil):
                phrases.append("\(key) was \(before) in the checkpoint and is not set now")
            default:
                break
            }
        }
        return phrases
    }

    private static func parse(_ json: String) -> Any {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])) ?? [:]
    }

    /// Nested objects as dotted keys; every leaf rendered as compact JSON text.
    private static func flattened(_ value: Any, prefix: String = "") -> [String: String] {
        if let object = value as? [String: Any] {
            var result: [String: String] = [:]
            for (key, child) in object {
                result.merge(flattened(child, prefix: prefix.isEmpty ? key : "\(prefix).\(key)")) { a, _ in a }
            }
            return result
        }
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])) ?? Data()
        return [prefix: String(decoding: data, as: UTF8.self)]
    }
}
