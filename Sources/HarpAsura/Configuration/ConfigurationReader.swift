import Foundation

/// Reads one JSON object of a configuration key by key, remembering which keys were read, which
/// were missing and which had the wrong type, so that a whole file's problems are reported in one
/// line (`finish()`), as `harp` promises for bad input.
final class ConfigurationReader {
    private var missing: [String] = []
    private var unknown: [String] = []
    private var wrongType: [String] = []

    /// One object of the file: its dotted path and its members.
    struct Object {
        let path: String
        let members: [String: Any]
        let reader: ConfigurationReader
        /// An object that is itself missing: its keys are not reported again one by one.
        let isAbsent: Bool
        private var read: Set<String> = []

        init(path: String, members: [String: Any], reader: ConfigurationReader, isAbsent: Bool = false) {
            self.path = path
            self.members = members
            self.reader = reader
            self.isAbsent = isAbsent
        }

        func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

        /// The value under `key` cast to `T`; `fallback` when absent (a missing key if there is none).
        mutating func value<T>(_ key: String, _ cast: (Any) -> T?, fallback: T?) -> T? {
            read.insert(key)
            guard let raw = members[key], !(raw is NSNull) else {
                if fallback == nil && !isAbsent { reader.missing.append(name(key)) }
                return fallback
            }
            guard let value = cast(raw) else {
                reader.wrongType.append(name(key))
                return fallback
            }
            return value
        }

        mutating func int(_ key: String, default fallback: Int? = nil) -> Int {
            value(key, Self.integer, fallback: fallback) ?? 0
        }

        mutating func float(_ key: String, default fallback: Float? = nil) -> Float {
            value(key, { ($0 as? NSNumber).flatMap { Self.isBoolean($0) ? nil : $0.floatValue } }, fallback: fallback) ?? 0
        }

        mutating func bool(_ key: String, default fallback: Bool? = nil) -> Bool {
            value(key, { ($0 as? NSNumber).flatMap { Self.isBoolean($0) ? $0.boolValue : nil } }, fallback: fallback) ?? false
        }

        mutating func string(_ key: String, default fallback: String? = nil) -> String {
            value(key, { $0 as? String }, fallback: fallback) ?? ""
        }

        mutating func ints(_ key: String, default fallback: [Int]? = nil) -> [Int] {
            value(key, { raw in
                guard let array = raw as? [Any] else { return nil }
                let ints = array.compactMap(Self.integer)
                return ints.count == array.count ? ints : nil
            }, fallback: fallback) ?? []
        }

        mutating func floats(_ key: String, default fallback: [Float]? = nil) -> [Float] {
            value(key, { raw in
                guard let array = raw as? [Any] else { return nil }
                let values = array.compactMap { ($0 as? NSNumber)?.floatValue }
                return values.count == array.count ? values : nil
            }, fallback: fallback) ?? []
        }

        /// The member object under `key`; when absent, an empty object whose keys take their defaults
        /// (`optional`) or that is reported missing once, as a whole.
        mutating func object(_ key: String, optional: Bool = false) -> Object {
            let members = value(key, { $0 as? [String: Any] }, fallback: optional ? [:] : nil)
            return Object(path: name(key), members: members ?? [:], reader: reader,
                          isAbsent: isAbsent || (members == nil && !optional))
        }

        /// The raw member, for values of several shapes (a distribution is a name or an object).
        mutating func raw(_ key: String, default fallback: Any? = nil) -> Any? {
            value(key, { $0 }, fallback: fallback)
        }

        /// Reports `key` as having a value the model cannot use (an unknown activation name, …).
        func reportWrongType(_ key: String) {
            if !isAbsent { reader.wrongType.append(name(key)) }
        }

        /// Marks every member not read as unknown.
        func finish() {
            guard !isAbsent else { return }
            for key in members.keys.sorted() where !read.contains(key) { reader.unknown.append(name(key)) }
        }

        /// Marks `keys` as accepted without reading them (the reference's bookkeeping keys).
        mutating func accept(_ keys: [String]) { read.formUnion(keys) }

        static func isBoolean(_ number: NSNumber) -> Bool {
            // JSONSerialization boxes `true`/`false` as NSNumber of type "c" (char); numbers never are.
            String(cString: number.objCType) == "c"
        }

        static func integer(_ raw: Any) -> Int? {
            guard let number = raw as? NSNumber, !isBoolean(number) else { return nil }
            let double = number.doubleValue
            guard double.rounded() == double, Swift.abs(double) < 1e12 else { return nil }
            return Int(double)
        }
    }

    func root(_ members: [String: Any]) -> Object { Object(path: "", members: members, reader: self) }

    /// Throws one error naming every missing, unknown and mistyped key, if there are any.
    func finish() throws(AsuraConfigurationError) {
        guard missing.isEmpty && unknown.isEmpty && wrongType.isEmpty else {
            throw .invalidKeys(missing: missing, unknown: unknown, wrongType: wrongType)
        }
    }
}
