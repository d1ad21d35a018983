import Foundation

/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
/// naming each tensor's dtype, shape and byte range, an optional `__metadata__` string map, then
/// the raw little-endian data. Harp writes `F32`; `SafeTensorsFile` reads.
/// ref: https://github.com/huggingface/safetensors (README "Format")
public enum SafeTensors {
    /// Writes `tensors` as `F32` with `metadata` to `url`, atomically (temporary file, then rename).
    /// Tensors are stored in name order.
    public static func write(
        _ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL
    ) throws(TensorFileError) {
        let ordered = tensors.sorted { $0.key < $1.key }
        let header = encodedHeader(ordered.map { ($0.key, $0.value.shape) }, metadata: metadata)
        try AtomicFileWriter.write(to: url) { (file) throws(TensorFileError) in
            try file.write(header)
            for (_, tensor) in ordered { try file.write(tensor) }
        }
    }

    /// The encoded bytes of a safetensors file holding `tensors` as `F32`.
    public static func encoded(_ tensors: [String: Tensor], metadata: [String: String] = [:]) -> Data {
        let ordered = tensors.sorted { $0.key < $1.key }
        var bytes = encodedHeader(ordered.map { ($0.key, $0.value.shape) }, metadata: metadata)
        for (_, tensor) in ordered {
            tensor.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeRawBufferPointer($0)) }
        }
        return Data(bytes)
    }

    /// The length field and the JSON header, padded with spaces to a multiple of 8 bytes so the
    /// data is aligned (as the reference writer does).
    static func encodedHeader(_ shapes: [(name: String, shape: [Int])], metadata: [String: String],
                              dtype: String = "F32", byteSize: Int = 4) -> [UInt8] {
        var members: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + quoted($0.value) }
            members.append(quoted(SafeTensorsHeader.metadataKey) + ":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, shape) in shapes {
            let end = offset + Shape.count(shape) * byteSize
            let dims = shape.map(String.init).joined(separator: ",")
            members.append(quoted(name) + ":{\"dtype\":\"\(dtype)\",\"shape\":[\(dims)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var json = Array(("{" + members.joined(separator: ",") + "}").utf8)
        json += [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + json.count)
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * UInt64(i)))) }
        return bytes + json
    }

    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
