import Foundation
import HarpTensor
import Testing
@testable import HarpCodec

/// The loader: both weight-norm namings, identity, and one clear error per kind of bad folder.
struct CodecLoaderTests {
    /// A copy of `folder` in a fresh temporary directory, with its weights rewritten by `transform`.
    private func copy(_ folder: OracleFolder, config: ((inout [String: Any]) -> Void)? = nil,
                      weights transform: (([String: Tensor]) -> [String: Tensor])? = nil) throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("harp-codec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        var configObject = try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.url.appendingPathComponent("config.json"))) as! [String: Any]
        config?(&configObject)
        try JSONSerialization.data(withJSONObject: configObject).write(to: target.appendingPathComponent("config.json"))
        let tensors = try SafeTensorsFile(contentsOf: folder.url.appendingPathComponent("model.safetensors")).tensors()
        try SafeTensors.write(transform?(tensors) ?? tensors, to: target.appendingPathComponent("model.safetensors"))
        return target
    }

    /// Renames `parametrizations.weight.original0/1` to `weight_g`/`weight_v`; for checkpoints with
    /// plain weights (DAC), weight-normalises every conv weight (`g = ‖w‖`, `v = w`).
    private static func legacyWeightNorm(_ tensors: [String: Tensor]) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (name, tensor) in tensors {
            if name.hasSuffix(".parametrizations.weight.original0") {
                result[name.replacingOccurrences(of: ".parametrizations.weight.original0", with: ".weight_g")] = tensor
            } else if name.hasSuffix(".parametrizations.weight.original1") {
                result[name.replacingOccurrences(of: ".parametrizations.weight.original1", with: ".weight_v")] = tensor
            } else if name.hasSuffix(".weight"), tensor.rank == 3, !name.contains(".norm.") {
                let prefix = String(name.dropLast(".weight".count))
                result[prefix + ".weight_g"] = tensor.square().sum(alongAxes: [1, 2], keepDims: true).sqrt()
                result[prefix + ".weight_v"] = tensor * 1.5   // the scale of v must not matter
            } else {
                result[name] = tensor
            }
        }
        return result
    }

    @Test(arguments: OracleFolder.all())
    func bothWeightNormNamingsLoadAndDecodeAlike(_ folder: OracleFolder) throws {
        let original = try folder.codec()
        let renamed = try copy(folder, weights: Self.legacyWeightNorm)
        defer { try? FileManager.default.removeItem(at: renamed) }
        let legacy = try CodecLoader.load(folder: renamed)
        let audio = Tensor(shape: [original.channelCount, 4000]) { values in
            for i in values.indices { values[i] = 0.4 * Float(sin(Double(i) * 0.031)) }
        }
        let encoded = try original.encode(audio, bandwidth: nil)
        #expect(try legacy.encode(audio, bandwidth: nil).codes == encoded.codes)
        expectParity(try legacy.decode(encoded), try original.decode(encoded), "\(folder.testDescription) legacy weight norm")
        #expect(legacy.identity.name == original.identity.name)
        #expect(legacy.identity.weightsHash != original.identity.weightsHash)
    }

    @Test func identityNamesTheModelAndHashesTheWeights() throws {
        let folders = OracleFolder.all()
        let names = try folders.map { try $0.codec().identity.name }
        for (folder, name) in zip(folders, names) {
            let expected = ["encodec24k": "encodec_24khz", "encodec32k": "encodec_32khz", "encodec48k": "encodec_48khz",
                            "dac44k": "dac_44khz"][folder.testDescription]
            if let expected { #expect(name == expected) }
            let hash = try folder.codec().identity.weightsHash
            #expect(hash.count == 16 && hash.allSatisfy(\.isHexDigit))
            #expect(hash == (try CodecLoader.fingerprint(of: folder.url.appendingPathComponent("model.safetensors"))))
        }
    }

    @Test func fingerprintIsFNV1a() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("harp-fnv-\(UUID().uuidString)")
        try Data("a".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try CodecLoader.fingerprint(of: url) == "af63dc4c8601ec8c")   // FNV-1a 64 of "a"
    }

    @Test func folderWithoutConfigOrWeightsIsOneClearError() throws {
        let folder = try #require(OracleFolder.all().first)
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("harp-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: CodecError.missingFile(folder: empty.path, file: "config.json")) { try CodecLoader.load(folder: empty) }
        try FileManager.default.copyItem(at: folder.url.appendingPathComponent("config.json"),
                                         to: empty.appendingPathComponent("config.json"))
        #expect(throws: CodecError.missingFile(folder: empty.path, file: "model.safetensors")) { try CodecLoader.load(folder: empty) }
    }

    @Test func unknownModelTypeIsRefused() throws {
        let folder = try #require(OracleFolder.all().first)
        let copied = try copy(folder, config: { $0["model_type"] = "soundstream" })
        defer { try? FileManager.default.removeItem(at: copied) }
        #expect(throws: CodecError.unknownModelType("soundstream")) { try CodecLoader.load(folder: copied) }
    }

    @Test(arguments: OracleFolder.all())
    func missingAndMisshapedTensorsAreNamed(_ folder: OracleFolder) throws {
        let names = try SafeTensorsFile(contentsOf: folder.url.appendingPathComponent("model.safetensors")).names
        let victim = try #require(names.sorted().first { $0.hasSuffix("bias") })
        let missing = try copy(folder, weights: { $0.filter { $0.key != victim } })
        defer { try? FileManager.default.removeItem(at: missing) }
        #expect(throws: CodecError.missingTensor(victim)) { try CodecLoader.load(folder: missing) }

        let original = try SafeTensorsFile(contentsOf: folder.url.appendingPathComponent("model.safetensors")).shape(of: victim)
        let misshaped = try copy(folder, weights: { tensors in
            var result = tensors
            result[victim] = Tensor.zeros([original[0] + 1])
            return result
        })
        defer { try? FileManager.default.removeItem(at: misshaped) }
        let error = CodecError.misshapedTensor(name: victim, expected: original, actual: [original[0] + 1])
        #expect(throws: error) { try CodecLoader.load(folder: misshaped) }
        #expect(error.description == "tensor \(victim) has shape [\(original[0] + 1)], expected \(original)")
    }

    @Test(arguments: OracleFolder.all())
    func bandwidthsAreOfferedAndOthersRefused(_ folder: OracleFolder) throws {
        let codec = try folder.codec()
        #expect(!codec.bandwidths.isEmpty && codec.bandwidths == codec.bandwidths.sorted())
        let audio = Tensor.zeros([codec.channelCount, 2000])
        #expect(throws: CodecError.self) { try codec.encode(audio, bandwidth: 1000) }
        let lowest = try codec.encode(audio, bandwidth: codec.bandwidths[0])
        let highest = try codec.encode(audio, bandwidth: nil)
        #expect(lowest.codebookCount <= highest.codebookCount)
        #expect(highest.codebookCount == codec.maximumCodebookCount)
        #expect(throws: CodecError.self) { try codec.encode(Tensor.zeros([codec.channelCount + 1, 100]), bandwidth: nil) }
        #expect(throws: CodecError.self) { try codec.encode(Tensor.zeros([codec.channelCount, 0]), bandwidth: nil) }
        var outOfRange = highest
        outOfRange.codes = IntTensor(repeating: Int32(codec.codebookSize), shape: highest.codes.shape)
        #expect(throws: CodecError.self) { try codec.decode(outOfRange) }
    }
}
