import Foundation
import HarpTensor
import Testing

/// The music2latent oracle folder (`config.json`, `model.safetensors`, `io.safetensors`) made by
/// `make_oracles.py` from the `music2latent` package: `Fixtures/oracles/music2latent` (seed 0,
/// committed), or the folder named by `HARP_LATENT_ORACLE` (e.g. one made with `--seed 1`).
enum LatentOracle {
    static var folder: URL {
        ProcessInfo.processInfo.environment["HARP_LATENT_ORACLE"].map { URL(fileURLWithPath: $0) }
            ?? Bundle.module.resourceURL!.appendingPathComponent("Fixtures/oracles/music2latent")
    }

    static func io() throws -> SafeTensorsFile {
        try SafeTensorsFile(contentsOf: folder.appendingPathComponent("io.safetensors"))
    }
}

/// `max|actual − expected| ≤ 1e-4·max(1, max|expected|)`, the oracles' tolerance for fp32 with a
/// different summation order. Returns the error.
@discardableResult
func expectParity(_ actual: Tensor, _ expected: Tensor, _ context: String,
                  sourceLocation: SourceLocation = #_sourceLocation) -> Float {
    guard actual.shape == expected.shape else {
        Issue.record("\(context): shape \(actual.shape) ≠ reference \(expected.shape)", sourceLocation: sourceLocation)
        return .infinity
    }
    let reference = expected.scalars, values = actual.scalars
    let scale = max(1, reference.map { abs($0) }.max() ?? 0)
    var worst: Float = 0
    for i in values.indices { worst = max(worst, abs(values[i] - reference[i])) }
    #expect(worst <= 1e-4 * scale, "\(context): max error \(worst) > \(1e-4 * scale)", sourceLocation: sourceLocation)
    return worst
}
