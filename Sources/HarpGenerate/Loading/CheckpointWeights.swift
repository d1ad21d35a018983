import Foundation
import HarpTensor

/// The tensors of a checkpoint in the `transformers` layout: one `model.safetensors`, or shards
/// listed by `model.safetensors.index.json` (`{"weight_map": {tensor name: shard file}}`). Files are
/// memory-mapped; a tensor is converted to `Float32` when asked for.
public final class CheckpointWeights {
    public static let singleFileName = "model.safetensors"
    public static let indexFileName = "model.safetensors.index.json"

    private let files: [String: SafeTensorsFile]
    private let fileOfTensor: [String: String]

    /// Opens the checkpoint in `folder`: the index when there is one, else the single file.
    public init(folder: URL) throws(GenerateError) {
        let manager = FileManager.default
        let indexURL = folder.appendingPathComponent(Self.indexFileName)
        var fileOfTensor: [String: String] = [:]
        var files: [String: SafeTensorsFile] = [:]
        if manager.fileExists(atPath: indexURL.path) {
            struct Index: Decodable {
                var weightMap: [String: String]
                enum CodingKeys: String, CodingKey { case weightMap = "weight_map" }
            }
            guard let data = try? Data(contentsOf: indexURL) else {
                throw .malformedConfiguration(file: Self.indexFileName, reason: "cannot be read")
            }
            let index: Index = try ConfigurationDecoding.decode(data, file: Self.indexFileName)
            for shard in Set(index.weightMap.values).sorted() {
                guard !shard.contains("/"), !shard.hasPrefix(".") else {
                    throw .malformedConfiguration(file: Self.indexFileName, reason: "shard name \"\(shard)\" is not a file in the folder")
                }
                let url = folder.appendingPathComponent(shard)
                guard manager.fileExists(atPath: url.path) else {
                    throw .missingFile(folder: folder.path, file: "\(shard) (a shard listed in \(Self.indexFileName))")
                }
                files[shard] = try Self.open(url)
            }
            fileOfTensor = index.weightMap
        } else {
            let url = folder.appendingPathComponent(Self.singleFileName)
            guard manager.fileExists(atPath: url.path) else {
                throw .missingFile(folder: folder.path, file: "\(Self.singleFileName) or \(Self.indexFileName)")
            }
            let file = try Self.open(url)
            files[Self.singleFileName] = file
            for name in file.names { fileOfTensor[name] = Self.singleFileName }
        }
        self.files = files
        self.fileOfTensor = fileOfTensor
    }

    /// Every tensor name, sorted.
    public var names: [String] { fileOfTensor.keys.sorted() }

    /// Whether the checkpoint has `name`.
    public func contains(_ name: String) -> Bool { fileOfTensor[name] != nil }

    /// The tensor `name`, checked to have `shape`.
    public func tensor(_ name: String, shape: [Int]) throws(GenerateError) -> Tensor {
        guard let fileName = fileOfTensor[name], let file = files[fileName] else { throw .missingTensor(name) }
        let actual: [Int]
        do { actual = try file.shape(of: name) } catch { throw .missingTensor(name) }
        guard actual == shape else { throw .tensorShape(name: name, expected: shape, actual: actual) }
        do {
            return try file.tensor(named: name)
        } catch {
            throw .unreadableWeights(file: fileName, reason: error.description)
        }
    }

    /// The first of `names` that the checkpoint has, checked to have `shape` (tied weights are
    /// written under one of several names).
    public func tensor(anyOf names: [String], shape: [Int]) throws(GenerateError) -> Tensor {
        guard let name = names.first(where: contains) else { throw .missingTensor(names.joined(separator: "\" or \"")) }
        return try tensor(name, shape: shape)
    }

    /// The tensors whose names start with `prefix`, the prefix removed (a sub-model's state dict).
    public func tensors(prefixed prefix: String) throws(GenerateError) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (name, fileName) in fileOfTensor where name.hasPrefix(prefix) {
            guard let file = files[fileName] else { throw .missingTensor(name) }
            do {
                result[String(name.dropFirst(prefix.count))] = try file.tensor(named: name)
            } catch {
                throw .unreadableWeights(file: fileName, reason: error.description)
            }
        }
        return result
    }

    private static func open(_ url: URL) throws(GenerateError) -> SafeTensorsFile {
        do {
            return try SafeTensorsFile(contentsOf: url)
        } catch {
            throw .unreadableWeights(file: url.lastPathComponent, reason: error.description)
        }
    }
}
