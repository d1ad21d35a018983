import Foundation

/// A safetensors file opened for reading: the header is parsed and validated up front, and each
/// tensor is converted only when asked for, from a memory map of the file.
///
/// ```swift
/// let file = try SafeTensorsFile(contentsOf: url)
/// let weight = try file.tensor(named: "decoder.conv.weight")
/// ```
public final class SafeTensorsFile {
    /// The largest header accepted (the reference implementation's limit).
    public static let headerLengthLimit = 100_000_000

    /// The entries in the order the header lists them.
    public let entries: [SafeTensorsEntry]
    /// The `__metadata__` string map (empty when absent).
    public let metadata: [String: String]
    let bytes: Data
    let dataStart: Int
    private let entriesByName: [String: SafeTensorsEntry]

    /// Opens the file at `url`, memory-mapped.
    public convenience init(contentsOf url: URL) throws(TensorFileError) {
        try self.init(data: FileBytes.mapped(url))
    }

    /// Opens the bytes of a safetensors file.
    public init(data: Data) throws(TensorFileError) {
        bytes = data
        guard data.count >= 8 else { throw .truncated(.safetensors, needed: 8, available: data.count) }
        let length = data.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }.littleEndian
        guard length <= UInt64(Self.headerLengthLimit) else {
            throw .headerTooLarge(.safetensors, length: length, limit: Self.headerLengthLimit)
        }
        // Bounded by the limit above, so the conversion cannot trap.
        dataStart = 8 + Int(length)
        guard data.count >= dataStart else {
            throw .truncated(.safetensors, needed: dataStart, available: data.count)
        }
        let json = [UInt8](data[data.startIndex + 8 ..< data.startIndex + dataStart])
        guard json.first == UInt8(ascii: "{") else {
            throw .malformedHeader(.safetensors, reason: "the header does not start with '{'")
        }
        let header = try SafeTensorsHeader.parse(json, dataBytes: data.count - dataStart)
        entries = header.entries
        metadata = header.metadata
        entriesByName = Dictionary(uniqueKeysWithValues: header.entries.map { ($0.name, $0) })
    }

    /// The tensor names in file order.
    public var names: [String] { entries.map(\.name) }

    /// The entry for `name`.
    public func entry(named name: String) throws(TensorFileError) -> SafeTensorsEntry {
        guard let entry = entriesByName[name] else { throw .tensorNotFound(name) }
        return entry
    }

    /// The shape of the tensor `name`, without reading its data.
    public func shape(of name: String) throws(TensorFileError) -> [Int] {
        try entry(named: name).shape
    }

    /// Reads the tensor `name`, converted to `Float32`.
    public func tensor(named name: String) throws(TensorFileError) -> Tensor {
        let entry = try entry(named: name)
        guard let type = entry.dtype.storedType else {
            throw .unsupportedDType(.safetensors, dtype: entry.dtype.rawValue, tensor: name)
        }
        let start = dataStart + entry.byteRange.lowerBound
        return bytes.withUnsafeBytes { raw in
            Tensor(shape: entry.shape) { values in
                if let target = values.baseAddress, let base = raw.baseAddress {
                    type.decode(base + start, count: values.count, into: target)
                }
            }
        }
    }

    /// Reads every tensor, by name.
    public func tensors() throws(TensorFileError) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for entry in entries { result[entry.name] = try tensor(named: entry.name) }
        return result
    }
}
