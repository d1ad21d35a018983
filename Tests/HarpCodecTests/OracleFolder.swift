import Foundation
import HarpTensor
import Testing
@testable import HarpCodec

/// One oracle model folder (`config.json`, `model.safetensors`, `io.safetensors`) made by
/// `make_oracles.py` from the reference implementation (`transformers`).
///
/// The folders come from `Fixtures/oracles` (seed 0, committed), or from the directory named by
/// the `HARP_CODEC_ORACLES` environment variable (e.g. a set made with another `--seed`), so the
/// same tests prove parity on independent random weights and inputs.
struct OracleFolder: CustomTestStringConvertible, Sendable {
    let url: URL
    let modelType: String

    var testDescription: String { url.lastPathComponent }

    /// The codec folders (`model_type` `encodec` or `dac`) of the oracle set, by name.
    static func all() -> [OracleFolder] {
        let root = ProcessInfo.processInfo.environment["HARP_CODEC_ORACLES"].map { URL(fileURLWithPath: $0) }
            ?? Bundle.module.resourceURL!.appendingPathComponent("Fixtures/oracles")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.sorted().compactMap { name in
            let folder = root.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: folder.appendingPathComponent("config.json")),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let type = object["model_type"] as? String, ["encodec", "dac"].contains(type),
                  FileManager.default.fileExists(atPath: folder.appendingPathComponent("io.safetensors").path)
            else { return nil }
            return OracleFolder(url: folder, modelType: type)
        }
    }

    func codec() throws -> any NeuralCodec { try CodecLoader.load(folder: url) }

    func io() throws -> SafeTensorsFile { try SafeTensorsFile(contentsOf: url.appendingPathComponent("io.safetensors")) }
}

extension SafeTensorsFile {
    /// An integer tensor (stored as I64) as an `IntTensor`.
    func integers(_ name: String) throws -> IntTensor {
        let values = try tensor(named: name)
        return IntTensor(shape: values.shape, scalars: values.scalars.map { Int32($0) })
    }

    func has(_ name: String) -> Bool { (try? entry(named: name)) != nil }
}

/// `max|actual − expected| ≤ 1e-4·max(1, max|expected|)`, the oracles' tolerance for fp32 with a
/// different summation order.
func expectParity(_ actual: Tensor, _ expected: Tensor, _ context: String,
                  sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.shape == expected.shape else {
        Issue.record("\(context): shape \(actual.shape) ≠ reference \(expected.shape)", sourceLocation: sourceLocation)
        return
    }
    let reference = expected.scalars, values = actual.scalars
    let scale = max(1, reference.map { abs($0) }.max() ?? 0)
    var worst: Float = 0
    for i in values.indices { worst = max(worst, abs(values[i] - reference[i])) }
    #expect(worst <= 1e-4 * scale, "\(context): max error \(worst) > \(1e-4 * scale)", sourceLocation: sourceLocation)
}

/// Codes equal the reference at every (codebook, frame) whose reference margin exceeds 1e-4,
/// up to the first codebook of a frame whose margin is below it (a legitimate flip there changes
/// every later residual of that frame). Returns how many codes were compared.
@discardableResult
func expectCodesMatch(_ actual: IntTensor, _ expected: IntTensor, margins: Tensor?, _ context: String,
                      sourceLocation: SourceLocation = #_sourceLocation) -> Int {
    guard actual.shape == expected.shape else {
        Issue.record("\(context): codes \(actual.shape) ≠ reference \(expected.shape)", sourceLocation: sourceLocation)
        return 0
    }
    let (count, frames) = (actual.shape[0], actual.shape[1])
    let margin = margins?.scalars
    var compared = 0, mismatches: [String] = []
    for frame in 0..<frames {
        for q in 0..<count {
            if let margin, margin[q * frames + frame] <= 1e-4 { break }
            compared += 1
            if actual[q, frame] != expected[q, frame] {
                mismatches.append("(q \(q), t \(frame)): \(actual[q, frame]) vs \(expected[q, frame])")
            }
        }
    }
    #expect(mismatches.isEmpty, "\(context): \(mismatches.count) of \(compared) codes differ: \(mismatches.prefix(5))",
            sourceLocation: sourceLocation)
    return compared
}
